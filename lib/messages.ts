/**
 * Messages between content scripts and the background: typed constants shared by sender and
 * receiver. Types only, so the content script pays nothing for them; the background validates
 * every message where it enters (messages-schema.ts) and never trusts a content script's claims
 * about where it runs (it reads the sender's URL itself).
 */
import type { CompiledPack } from './rules/compiled';
import type { Progress, ProgressEvent } from './progress/progress';
import { FRICTION_SIGNAL_TYPES } from './signals/detectors/index';
import type { DwellBucket } from './signals/detectors/detection';

export const SIGNAL_TYPES = [
  'tip-shown',
  'tip-dismissed',
  'rule-missing',
  'feedback',
  'help-opened',
  'walkthrough-started',
  'walkthrough-step',
  'walkthrough-completed',
  'walkthrough-abandoned',
  /** The tip's faster path was used (rule: the tip); time saved = count × its savesSeconds, at query time. */
  'tip-used',
  /** A stage's checklist is complete (rule: the stage id): at most once per day per stage. */
  'stage-complete',
  ...FRICTION_SIGNAL_TYPES,
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** What the user can pause separately in the popup. */
export const SIGNAL_CATEGORIES = ['guidance', 'friction', 'feedback', 'health'] as const;
export type SignalCategory = (typeof SIGNAL_CATEGORIES)[number];

export function categoryOf(type: SignalType): SignalCategory {
  if (type === 'feedback') return 'feedback';
  if (type === 'rule-missing') return 'health';
  if (type === 'tip-shown' || type === 'tip-dismissed' || type === 'tip-used' || type === 'stage-complete' || type === 'help-opened' || type.startsWith('walkthrough-')) {
    return 'guidance';
  }
  return 'friction';
}

/** Feedback a user gives on a tip or step: an enum, never text (comments are kept apart). */
export const FEEDBACK_KINDS = ['helpful', 'not-helpful', 'wrong', 'confusing'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** What a content script reports: ids from the rule files and enums, nothing from the page. */
export interface SignalInput {
  type: SignalType;
  pack: string;
  screen: string;
  /** A rule id ("…tooltips#key") or a walkthrough step id ("…walkthrough#step"). */
  rule?: string;
  /** An enum detail: a feedback kind, or a form-dwell bucket. */
  detail?: FeedbackKind | DwellBucket;
  /** A small count (rage-click: clicks in the burst). */
  count?: number;
  /** back-and-forth: the other screen of the pair. */
  peer?: string;
}

/** Who the user is to the rules: from settings and (later) managed policy. No identity. */
export interface CoachContext {
  /** Live rollout stage per pack id (overrides the pack's own liveStage). */
  liveStages: Record<string, string>;
  audience?: string;
  /** UI language override; otherwise the browser's. */
  locale?: string;
  /** The user paused friction signals: the content script does not even watch for them. */
  frictionPaused?: boolean;
}

export type Message =
  /** Which packs run on the sender's page, with the user's progress and context. */
  | { type: 'rules:get' }
  /** The user saw, dismissed, used or completed something (the background persists it). */
  | { type: 'progress:event'; event: ProgressEvent }
  /** Inject the React overlay into the sender's frame (loaded only when something is shown). */
  | { type: 'overlay:load' }
  /** `uid`: random per signal, so a retry after a lost reply is stored once. */
  | { type: 'signal:record'; signal: SignalInput; uid?: string }
  /** Feedback on a tip or step: the signal, and optionally the user's own words (kept apart). */
  | { type: 'feedback:record'; signal: SignalInput; comment?: string };

export type Reply<M extends Message> = M extends { type: 'rules:get' }
  ? { packs: CompiledPack[]; progress: Progress; context: CoachContext }
  : M extends { type: 'progress:event' }
    ? { ok: true }
  : M extends { type: 'overlay:load' }
    ? { ok: true }
    : M extends { type: 'signal:record' }
      ? { ok: true }
      : never;

export type ErrorReply = { error: string };

/** Messages only the extension's own pages (popup, options) may send. */
export type PageMessage =
  | { type: 'privacy:summary' }
  | { type: 'privacy:export' }
  | { type: 'privacy:wipe' }
  | { type: 'privacy:pause'; all: boolean; categories: SignalCategory[] }
  | { type: 'settings:locale'; locale: string | null }
  | { type: 'settings:policy' }
  /** Sync's state for the popup's transparency line (lib/sync/sync-page.ts). */
  | { type: 'sync:status' };
