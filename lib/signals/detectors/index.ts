/**
 * Friction-signal detectors: small pure state machines over anonymized observations.
 * See docs/signals.md for the definitions and ../dom-adapter.ts for where observations come from.
 */

/** The friction signal types (to be added to SIGNAL_TYPES in lib/messages.ts). */
export const FRICTION_SIGNAL_TYPES = [
  'rage-click',
  'dead-click',
  'validation-loop',
  'required-field-bounce',
  'error-banner',
  'back-and-forth',
  'form-dwell',
] as const;
export type FrictionSignalType = (typeof FRICTION_SIGNAL_TYPES)[number];

export {
  DETECTION_KEYS,
  DWELL_BUCKETS,
  MAX_COUNT,
  detection,
  isRuleId,
  isScreenId,
  type Clock,
  type Detection,
  type Detector,
  type DwellBucket,
  type Observation,
  type ObservationKind,
} from './detection';
export { createRageClickDetector } from './rage-click';
export { createDeadClickDetector, type DeadClickDetector } from './dead-click';
export { createValidationLoopDetector } from './validation-loop';
export { createRequiredFieldBounceDetector } from './required-field-bounce';
export { createErrorBannerDetector } from './error-banner';
export { createBackAndForthDetector } from './back-and-forth';
export { createFormDwellDetector, dwellBucket, DWELL_BUCKET_LIMITS_MS } from './form-dwell';
export { createFrictionEngine, type FrictionEngine } from './engine';
