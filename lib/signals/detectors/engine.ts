/**
 * All detectors behind one `observe`: what the DOM adapter drives (and what tests can replay).
 * Adds the per-visit cap (`limits.perTypePerVisit`) and closes timed-out episodes before each
 * observation, so a late response never rescues a click whose window has already passed.
 */
import type { FrictionThresholds } from '../thresholds';
import type { Clock, Detection, Detector, Observation } from './detection';
import type { FrictionSignalType } from './index';
import { createBackAndForthDetector } from './back-and-forth';
import { createDeadClickDetector } from './dead-click';
import { createErrorBannerDetector } from './error-banner';
import { createFormDwellDetector } from './form-dwell';
import { createRageClickDetector } from './rage-click';
import { createRequiredFieldBounceDetector } from './required-field-bounce';
import { createValidationLoopDetector } from './validation-loop';

export interface FrictionEngine extends Detector {
  /** Clicks are waiting for a response: only then is page activity worth reporting. */
  awaitingResponse(): boolean;
}

export function createFrictionEngine(options: { thresholds: FrictionThresholds; now: Clock }): FrictionEngine {
  const { thresholds: t, now } = options;
  const dead = createDeadClickDetector({ thresholds: t.deadClick, now });
  const detectors: Detector[] = [
    createRageClickDetector({ thresholds: t.rageClick, now }),
    dead,
    createValidationLoopDetector({ thresholds: t.validationLoop, now }),
    createRequiredFieldBounceDetector({ thresholds: t.requiredFieldBounce, now }),
    createErrorBannerDetector({ thresholds: t.errorBanner, now }),
    createBackAndForthDetector({ thresholds: t.backAndForth, now }),
    createFormDwellDetector({ thresholds: t.formDwell, now }),
  ];
  let perVisit = new Map<FrictionSignalType, number>();

  const capped = (detections: Detection[]): Detection[] =>
    detections.filter((d) => {
      const n = perVisit.get(d.type) ?? 0;
      if (n >= t.limits.perTypePerVisit) return false;
      perVisit.set(d.type, n + 1);
      return true;
    });
  const tick = () => capped(detectors.flatMap((d) => d.tick()));

  return {
    observe(observation) {
      const out = tick();
      // Screen observations end the old visit (its detections are capped with its counts) and
      // start a new one.
      out.push(...capped(detectors.flatMap((d) => d.observe(observation))));
      if (observation.kind === 'screen') perVisit = new Map();
      return out;
    },
    tick,
    nextDeadline() {
      let next: number | undefined;
      for (const d of detectors) {
        const at = d.nextDeadline();
        if (at !== undefined && (next === undefined || at < next)) next = at;
      }
      return next;
    },
    flush() {
      const out = tick();
      out.push(...capped(detectors.flatMap((d) => d.flush())));
      return out;
    },
    awaitingResponse: () => dead.pending() > 0,
  };
}
