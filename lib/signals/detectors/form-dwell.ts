/**
 * Form dwell: how long someone stayed on a form screen and left without saving, as a bucket.
 *
 * Definition (defaults in thresholds.ts): a visit to a screen counts as a form visit once the
 * user focuses a form field on it (search boxes excluded by the adapter). When the visit ends
 * (another screen or record, or the page goes away) and nothing was saved, its dwell time is
 * reported as one of DWELL_BUCKETS, never as a number:
 *   under-30s · 30s-2m · 2m-5m · 5m-15m · over-15m   (each boundary belongs to the longer bucket)
 * Dwell runs from the start of the visit and pauses while the tab is hidden. Saved means a submit
 * that went through (its outcome had no field errors and no error banner, or the screen changed
 * before the outcome was known: the CRM navigated to the saved record). Buckets shorter than
 * `minBucket` (default: none shorter, all are reported) are dropped.
 *
 * The boundaries are fixed, not thresholds: buckets from different teams and policies must mean
 * the same thing to be compared.
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, DWELL_BUCKETS, type Clock, type Detection, type Detector, type DwellBucket } from './detection';

/** Upper bounds (exclusive) of the buckets, in ms, in DWELL_BUCKETS order; the last is open. */
export const DWELL_BUCKET_LIMITS_MS = [30_000, 120_000, 300_000, 900_000] as const;

export function dwellBucket(ms: number): DwellBucket {
  const i = DWELL_BUCKET_LIMITS_MS.findIndex((limit) => ms < limit);
  return DWELL_BUCKETS[i === -1 ? DWELL_BUCKETS.length - 1 : i]!;
}

interface Visit {
  screen: string | null;
  start: number;
  hiddenMs: number;
  hiddenSince: number | undefined;
  form: boolean;
  saved: boolean;
  submitted: Set<number>;
}

export function createFormDwellDetector(options: { thresholds: FrictionThresholds['formDwell']; now: Clock }): Detector {
  const min = DWELL_BUCKETS.indexOf(options.thresholds.minBucket);
  let hidden = false;
  let visit: Visit | null = null;

  const end = (): Detection[] => {
    const v = visit;
    visit = null;
    if (!v || !v.form || v.saved || v.submitted.size > 0) return [];
    const now = options.now();
    const hiddenMs = v.hiddenMs + (v.hiddenSince !== undefined ? now - v.hiddenSince : 0);
    const bucket = dwellBucket(Math.max(0, now - v.start - hiddenMs));
    return DWELL_BUCKETS.indexOf(bucket) >= min ? detection('form-dwell', v.screen, { bucket }) : [];
  };

  return {
    observe(o) {
      switch (o.kind) {
        case 'screen': {
          const out = end();
          const now = options.now();
          visit = { screen: o.screen, start: now, hiddenMs: 0, hiddenSince: hidden ? now : undefined, form: false, saved: false, submitted: new Set() };
          return out;
        }
        case 'visibility': {
          hidden = !o.visible;
          if (!visit) return [];
          const now = options.now();
          if (hidden) visit.hiddenSince ??= now;
          else if (visit.hiddenSince !== undefined) {
            visit.hiddenMs += now - visit.hiddenSince;
            visit.hiddenSince = undefined;
          }
          return [];
        }
        case 'field-focus':
          if (visit) visit.form = true;
          return [];
        case 'submit':
          // A submit whose outcome is still unknown when the visit ends was a save (see above).
          if (visit && !o.blocked) visit.submitted.add(o.form);
          return [];
        case 'field-errors':
          if (!visit?.submitted.delete(o.form)) return [];
          if (o.count === 0 && !o.banner) visit.saved = true;
          return [];
        default:
          return [];
      }
    },
    tick: () => [],
    nextDeadline: () => undefined,
    flush: end,
  };
}
