/**
 * Every friction-signal threshold in one place, with its default and its sane range.
 * docs/signals.md explains each definition in plain language.
 *
 * Overrides (from managed policy, later) are validated with `parseFrictionThresholds`: unknown
 * keys and wrong types are errors, numbers outside their range are clamped into it (a policy
 * cannot make rage clicks out of double clicks, or a dead click out of a 5-second save).
 *
 * Bundle size: the zod schema is built lazily inside a function, so a content script that only
 * imports the defaults or `mergeFrictionThresholds` does not pull zod in (zod is side-effect
 * free for bundlers). Validate in the background, hand the content script plain numbers.
 */
import { z } from 'zod';
import { DWELL_BUCKETS, type DwellBucket } from './detectors/detection';

export interface FrictionThresholds {
  rageClick: {
    /** Clicks in one burst that make a rage click (3: Sentry's and PostHog's number). */
    clicks: number;
    /** Every click of the burst lands within this distance of the first one, in CSS px. */
    radiusPx: number;
    /** Each click comes within this long of the previous one, and the burst is reported when no click follows in this long (ms). */
    windowMs: number;
  };
  deadClick: {
    /** A click on something clickable with no response (mutation, navigation, focus, input, scroll) within this long (ms). */
    windowMs: number;
  };
  validationLoop: {
    /** Failed submits of the same form in a row (each with field errors) that make a loop. */
    failedSubmits: number;
    /** How long after a submit its outcome is judged: field errors or the error banner by then = failed (ms). */
    outcomeDelayMs: number;
  };
  requiredFieldBounce: {
    /** Times the same required field is focused and left empty… */
    emptyLeaves: number;
    /** …within this long (ms). */
    emptyLeavesWindowMs: number;
    /** After a submit, focus landing on an empty or invalid required field within this long is a bounce (ms). */
    bounceWindowMs: number;
  };
  errorBanner: {
    /** The banner must have been gone this long before it counts again (re-renders flicker) (ms). */
    rearmMs: number;
    /** A banner this soon after a click/submit on a rule-named control is attributed to it (ms). */
    attributionMs: number;
    /** After a click or submit, the adapter checks for the banner on DOM changes this long (ms). */
    watchMs: number;
  };
  backAndForth: {
    /** A → B → A → B counts when the four visits start within this long of each other (ms). */
    windowMs: number;
  };
  formDwell: {
    /** Unsaved form visits shorter than this bucket are not reported ('under-30s': report all). */
    minBucket: DwellBucket;
  };
  limits: {
    /** At most this many detections of one type per screen visit (a flickering page cannot flood the store). */
    perTypePerVisit: number;
  };
}

export const DEFAULT_FRICTION_THRESHOLDS: FrictionThresholds = Object.freeze({
  rageClick: Object.freeze({ clicks: 3, radiusPx: 30, windowMs: 1000 }),
  deadClick: Object.freeze({ windowMs: 1000 }),
  validationLoop: Object.freeze({ failedSubmits: 2, outcomeDelayMs: 3000 }),
  requiredFieldBounce: Object.freeze({ emptyLeaves: 2, emptyLeavesWindowMs: 5 * 60_000, bounceWindowMs: 1500 }),
  errorBanner: Object.freeze({ rearmMs: 2000, attributionMs: 10_000, watchMs: 10_000 }),
  backAndForth: Object.freeze({ windowMs: 60_000 }),
  formDwell: Object.freeze({ minBucket: 'under-30s' as DwellBucket }),
  limits: Object.freeze({ perTypePerVisit: 5 }),
});

type NumericKeys<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];
type Ranges = { [G in keyof FrictionThresholds]: { [K in NumericKeys<FrictionThresholds[G]>]: readonly [min: number, max: number, integer?: 'int'] } };

/** Sane ranges: overrides are clamped into these. */
export const THRESHOLD_RANGES: Ranges = {
  // Fewer than 3 would be a double click; beyond 10 in a burst nobody is still "rage" clicking.
  rageClick: { clicks: [3, 10, 'int'], radiusPx: [5, 200], windowMs: [300, 5000] },
  // Under 300 ms even a healthy UI has not painted; Sentry's "slow click" upper bound is 7 s.
  deadClick: { windowMs: [300, 10_000] },
  validationLoop: { failedSubmits: [2, 10, 'int'], outcomeDelayMs: [500, 15_000] },
  requiredFieldBounce: { emptyLeaves: [2, 10, 'int'], emptyLeavesWindowMs: [10_000, 30 * 60_000], bounceWindowMs: [200, 5000] },
  errorBanner: { rearmMs: [0, 60_000], attributionMs: [0, 60_000], watchMs: [1000, 60_000] },
  backAndForth: { windowMs: [5000, 10 * 60_000] },
  formDwell: {},
  limits: { perTypePerVisit: [1, 50, 'int'] },
};

export type FrictionThresholdOverrides = { [G in keyof FrictionThresholds]?: Partial<FrictionThresholds[G]> };

const clamp = (n: number, [min, max, int]: readonly [number, number, 'int'?]) => {
  const v = Math.min(max, Math.max(min, n));
  return int ? Math.round(v) : v;
};

/**
 * Defaults with overrides applied, every number clamped into its range. No zod: usable in the
 * content script. Non-numbers and unknown keys are ignored here (the schema reports them).
 */
export function mergeFrictionThresholds(overrides: FrictionThresholdOverrides = {}): FrictionThresholds {
  const out = {} as Record<string, Record<string, unknown>>;
  for (const group of Object.keys(DEFAULT_FRICTION_THRESHOLDS) as Array<keyof FrictionThresholds>) {
    const defaults = DEFAULT_FRICTION_THRESHOLDS[group] as unknown as Record<string, unknown>;
    const ranges = THRESHOLD_RANGES[group] as Record<string, readonly [number, number, 'int'?]>;
    const given = (overrides[group] ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...defaults };
    for (const key of Object.keys(defaults)) {
      const value = given[key];
      const range = ranges[key];
      if (range && typeof value === 'number' && Number.isFinite(value)) merged[key] = clamp(value, range);
      else if (!range && typeof value === 'string' && (DWELL_BUCKETS as readonly string[]).includes(value)) merged[key] = value;
    }
    out[group] = merged;
  }
  return out as unknown as FrictionThresholds;
}

let schema: z.ZodType<FrictionThresholdOverrides> | undefined;

/**
 * The zod schema for overrides: every group and key optional, unknown keys rejected, numbers
 * must be finite and are clamped into their range (parse output is clamped).
 */
export function frictionThresholdOverridesSchema(): z.ZodType<FrictionThresholdOverrides> {
  if (schema) return schema;
  const number = (range: readonly [number, number, 'int'?]) =>
    z
      .number()
      .finite()
      .transform((n) => clamp(n, range))
      .optional();
  const group = (name: keyof FrictionThresholds) =>
    z
      .strictObject(
        Object.fromEntries(
          Object.entries(THRESHOLD_RANGES[name] as Record<string, readonly [number, number, 'int'?]>).map(([k, r]) => [k, number(r)]),
        ),
      )
      .optional();
  schema = z.strictObject({
    rageClick: group('rageClick'),
    deadClick: group('deadClick'),
    validationLoop: group('validationLoop'),
    requiredFieldBounce: group('requiredFieldBounce'),
    errorBanner: group('errorBanner'),
    backAndForth: group('backAndForth'),
    formDwell: z.strictObject({ minBucket: z.enum(DWELL_BUCKETS).optional() }).optional(),
    limits: group('limits'),
  }) as unknown as z.ZodType<FrictionThresholdOverrides>;
  return schema;
}

export type ParsedThresholds =
  | { ok: true; thresholds: FrictionThresholds }
  | { ok: false; thresholds: FrictionThresholds; issues: string[] };

/**
 * Validate overrides (e.g. from policy) and merge them over the defaults. Invalid input keeps
 * the defaults (all of them: a half-applied policy is harder to reason about) and says why.
 */
export function parseFrictionThresholds(input: unknown): ParsedThresholds {
  if (input === undefined || input === null) return { ok: true, thresholds: mergeFrictionThresholds() };
  const result = frictionThresholdOverridesSchema().safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      thresholds: mergeFrictionThresholds(),
      issues: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  }
  return { ok: true, thresholds: mergeFrictionThresholds(result.data) };
}
