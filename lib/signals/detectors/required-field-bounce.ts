/**
 * Required-field bounce: the user keeps arriving at a required field and leaving it empty, or
 * submits and is sent back to a required field.
 *
 * Definition (defaults in thresholds.ts), either of:
 *  - left empty repeatedly: the same required field loses focus while empty `emptyLeaves` (2)
 *    times within `emptyLeavesWindowMs` (5 min);
 *  - bounced back: within `bounceWindowMs` (1.5 s) after a submit (blocked by the browser's
 *    validation or not), focus lands on a required field that is empty or invalid (the browser,
 *    or the CRM's script, sent the user back to it).
 * Reported once per field per screen visit, against the field's rule target if a rule names it.
 *
 * "Required" is the `required` attribute or aria-required="true"; "empty" is the browser's
 * validity.valueMissing (the value itself is never read; for custom fields without native
 * validation the adapter reports "nothing was typed during this focus").
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, type Clock, type Detection, type Detector } from './detection';

export function createRequiredFieldBounceDetector(options: {
  thresholds: FrictionThresholds['requiredFieldBounce'];
  now: Clock;
}): Detector {
  const { emptyLeaves, emptyLeavesWindowMs, bounceWindowMs } = options.thresholds;
  let screen: string | null = null;
  let leaves = new Map<number, number[]>();
  let reported = new Set<number>();
  let lastSubmit: number | undefined;

  const report = (field: number, target: string | undefined): Detection[] => {
    if (reported.has(field)) return [];
    reported.add(field);
    return detection('required-field-bounce', screen, { target });
  };

  return {
    observe(o) {
      switch (o.kind) {
        case 'screen':
          screen = o.screen;
          leaves = new Map();
          reported = new Set();
          lastSubmit = undefined;
          return [];
        case 'submit':
          lastSubmit = options.now();
          return [];
        case 'field-focus': {
          if (lastSubmit === undefined || !o.required || !(o.empty || o.invalid)) return [];
          if (options.now() - lastSubmit > bounceWindowMs) return [];
          lastSubmit = undefined; // one bounce per submit
          return report(o.field, o.target);
        }
        case 'field-blur': {
          if (!o.required || !o.empty) return [];
          const now = options.now();
          const times = (leaves.get(o.field) ?? []).filter((t) => now - t <= emptyLeavesWindowMs);
          times.push(now);
          leaves.set(o.field, times.slice(-emptyLeaves));
          return times.length >= emptyLeaves ? report(o.field, o.target) : [];
        }
        default:
          return [];
      }
    },
    tick: () => [],
    nextDeadline: () => undefined,
    flush: () => [],
  };
}
