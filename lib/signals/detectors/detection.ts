/**
 * What the friction detectors eat and what they emit.
 *
 * Observations are abstract and already anonymized: the DOM adapter (../dom-adapter.ts) turns
 * real events into them. Elements appear only as opaque per-page numbers (`element`, `form`,
 * `field`), so a detector can tell "the same button" from "another button" without holding the
 * element or anything read from it. A `target` is the id of a rule in the pack whose target the
 * element is; an element no rule names has no target and is counted against the screen only.
 *
 * Detections are built in one place (`detection()` below), which keeps only the whitelisted
 * fields and drops any id that does not have the shape of a rule-file id. A detector bug cannot
 * leak a label, a value, an e-mail address or a URL into a signal: such a string is not an id.
 */
import type { FrictionSignalType } from './index';

/** Dwell buckets (fixed boundaries, so every team's numbers mean the same): see form-dwell.ts. */
export const DWELL_BUCKETS = ['under-30s', '30s-2m', '2m-5m', '5m-15m', 'over-15m'] as const;
export type DwellBucket = (typeof DWELL_BUCKETS)[number];

/** Largest `count` a detection carries: counts are severity hints, not measurements. */
export const MAX_COUNT = 99;

export interface Detection {
  type: FrictionSignalType;
  /** The screen id from the rule files where it happened ("demo/contact-record"). */
  screen: string;
  /** Id of the rule whose target the user acted on ("demo/contact-record.tooltips#save"). */
  target?: string;
  /** form-dwell only. */
  bucket?: DwellBucket;
  /** rage-click only: clicks in the burst (capped at MAX_COUNT). */
  count?: number;
  /** back-and-forth only: the other screen of the pair. */
  peer?: string;
}

/** The keys a detection may have: the privacy test checks every emitted object against this. */
export const DETECTION_KEYS = ['type', 'screen', 'target', 'bucket', 'count', 'peer'] as const;

/**
 * What the adapter reports. No field holds page content: ids come from the rule files (and are
 * re-checked when a detection is built), element keys are counters, the rest are booleans,
 * numbers (coordinates, counts) and enums.
 */
export type Observation =
  /**
   * The page's screen changed (or the URL did, within a screen: another record). `screen` is the
   * coach's screen id, null off any known screen. `page` is an opaque number that differs between
   * two records of the same screen (the adapter derives it from the URL in memory and never
   * sends it anywhere); back-and-forth uses it to tell "the same record again" from "the next
   * record". Every screen observation starts a new visit.
   */
  | { kind: 'screen'; screen: string | null; page?: number }
  /**
   * A click. `element`: key of the clicked control (the nearest clickable ancestor, else the
   * element itself). `x`, `y`: viewport coordinates (a keyboard "click" uses the control's
   * centre). `clickable`: it looks clickable (button, link, role=button, cursor:pointer…) and its
   * effect should show on this page (not a link to a new tab or a download).
   * `editable`: a field (text, select, picker): clicks there are editing, never rage or dead.
   * `selecting`: a multi-click that selected text on something not clickable.
   */
  | {
      kind: 'click';
      element: number;
      target?: string;
      x: number;
      y: number;
      clickable: boolean;
      editable: boolean;
      selecting?: boolean;
    }
  /** The page responded: a DOM mutation, navigation, focus change, input/change, scroll, tab switch. */
  | { kind: 'activity' }
  /**
   * A form was submitted (`blocked: false`), or the browser's own validation stopped the submit
   * (`blocked: true`: `invalid` events, the submit event never fires). `target`: the rule id of
   * the submit button (or of the form).
   */
  | { kind: 'submit'; form: number; target?: string; blocked: boolean }
  /**
   * The outcome of the last unblocked submit of `form`, a few seconds later: how many fields are
   * marked invalid (aria-invalid="true"), and whether the pack's error banner is showing.
   * count 0 and no banner: the submit went through.
   */
  | { kind: 'field-errors'; form: number; count: number; banner?: boolean }
  /**
   * A form field got focus. `required`: required or aria-required. `empty`: the browser says a
   * required value is missing (validity.valueMissing; the value itself is never read).
   * `invalid`: aria-invalid="true" or the browser considers the value invalid.
   */
  | { kind: 'field-focus'; field: number; target?: string; required: boolean; empty: boolean; invalid: boolean }
  /** A form field lost focus. `empty` as above (custom fields: nothing was typed during the focus). */
  | { kind: 'field-blur'; field: number; target?: string; required: boolean; empty: boolean }
  /** Whether the pack's error banner/toast target is on the page now (checked after changes). */
  | { kind: 'error-banner'; present: boolean }
  /** The tab became hidden or visible again (dwell pauses while hidden). */
  | { kind: 'visibility'; visible: boolean };

export type ObservationKind = Observation['kind'];

/** A pure state machine: observations in, detections out; time from the injected clock. */
export interface Detector {
  observe(observation: Observation): Detection[];
  /** Close what timed out (dead clicks, rage-click bursts). */
  tick(): Detection[];
  /** When `tick` next has something to close, on the injected clock; undefined: nothing pending. */
  nextDeadline(): number | undefined;
  /** The page is going away (pagehide): close everything that is open. */
  flush(): Detection[];
}

export type Clock = () => number;

// Shapes of ids in the rule files (the same as the background's message schema).
const SCREEN_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z]+#[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const isScreenId = (s: unknown): s is string => typeof s === 'string' && s.length <= 130 && SCREEN_ID.test(s);
export const isRuleId = (s: unknown): s is string => typeof s === 'string' && s.length <= 200 && RULE_ID.test(s);

const smallCount = (n: unknown): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.min(MAX_COUNT, Math.floor(n)) : undefined;

/**
 * The only way detectors build a detection. Returns [] when the screen is not a screen id (off
 * any known screen nothing is recorded); drops a target or peer that is not an id (the signal is
 * then counted against the screen only); keeps nothing but the whitelisted fields.
 */
export function detection(
  type: FrictionSignalType,
  screen: string | null | undefined,
  extra: { target?: string | undefined; bucket?: DwellBucket; count?: number; peer?: string | null } = {},
): Detection[] {
  if (!isScreenId(screen)) return [];
  const out: Detection = { type, screen };
  if (isRuleId(extra.target)) out.target = extra.target;
  if (extra.bucket !== undefined && (DWELL_BUCKETS as readonly string[]).includes(extra.bucket)) out.bucket = extra.bucket;
  const count = smallCount(extra.count);
  if (count !== undefined) out.count = count;
  if (isScreenId(extra.peer) && extra.peer !== screen) out.peer = extra.peer;
  return [out];
}

/** The target id an observation carries, if it is one (anything else reads as "no rule named it"). */
export const ruleIdOrUndefined = (s: unknown): string | undefined => (isRuleId(s) ? s : undefined);
