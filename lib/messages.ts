/**
 * Messages between content scripts and the background: typed constants shared by sender and
 * receiver. Types only, so the content script pays nothing for them; the background validates
 * every message where it enters (messages-schema.ts) and never trusts a content script's claims
 * about where it runs (it reads the sender's URL itself).
 */
import type { CompiledPack } from './rules/compiled';

export const SIGNAL_TYPES = ['tip-shown', 'rule-missing'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** What a content script reports: ids from the rule files and an enum, nothing from the page. */
export interface SignalInput {
  type: SignalType;
  pack: string;
  screen: string;
  rule: string;
}

export type Message =
  /** Which packs run on the sender's page. */
  | { type: 'rules:get' }
  /** Inject the React overlay into the sender's frame (loaded only when something is shown). */
  | { type: 'overlay:load' }
  | { type: 'signal:record'; signal: SignalInput };

export type Reply<M extends Message> = M extends { type: 'rules:get' }
  ? { packs: CompiledPack[] }
  : M extends { type: 'overlay:load' }
    ? { ok: true }
    : M extends { type: 'signal:record' }
      ? { ok: true }
      : never;

export type ErrorReply = { error: string };
