/**
 * Validation loop: submit, field errors, submit again, errors again.
 *
 * Definition (defaults in thresholds.ts): per form, count submits in a row that fail. A submit
 * fails when the browser's own validation stops it (`blocked`), or when, `outcomeDelayMs` (3 s)
 * after it, fields are marked invalid or the pack's error banner shows (the adapter reports that
 * outcome as `field-errors`). A submit that goes through (no errors, no banner) breaks the loop
 * and the count starts again. When the count reaches `failedSubmits` (2) the loop is reported,
 * once per form per screen visit, against the submit button's (or form's) rule target if any.
 *
 * No public tool defines this one; it is the form-level version of a rage click: the user keeps
 * trying the same thing and the page keeps saying no.
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, type Clock, type Detection, type Detector } from './detection';

interface FormState {
  failed: number;
  awaiting: boolean;
  reported: boolean;
  target: string | undefined;
}

export function createValidationLoopDetector(options: { thresholds: FrictionThresholds['validationLoop']; now: Clock }): Detector {
  const { failedSubmits } = options.thresholds;
  let screen: string | null = null;
  let forms = new Map<number, FormState>();

  const fail = (state: FormState): Detection[] => {
    state.failed++;
    if (state.reported || state.failed < failedSubmits) return [];
    state.reported = true;
    return detection('validation-loop', screen, { target: state.target });
  };

  return {
    observe(o) {
      switch (o.kind) {
        case 'screen':
          screen = o.screen;
          forms = new Map();
          return [];
        case 'submit': {
          let state = forms.get(o.form);
          if (!state) forms.set(o.form, (state = { failed: 0, awaiting: false, reported: false, target: undefined }));
          state.target = o.target ?? state.target;
          if (o.blocked) {
            state.awaiting = false;
            return fail(state);
          }
          state.awaiting = true;
          return [];
        }
        case 'field-errors': {
          const state = forms.get(o.form);
          if (!state?.awaiting) return [];
          state.awaiting = false;
          if (o.count > 0 || o.banner) return fail(state);
          state.failed = 0; // it went through: the loop is broken
          return [];
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
