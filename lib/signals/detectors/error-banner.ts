/**
 * Error banner: the CRM's own error banner or toast (the pack's `signals.errors` target) appears.
 *
 * Definition (defaults in thresholds.ts): the adapter reports whether the banner is on the page
 * each time it checks (after clicks, submits and DOM changes); an appearance is a change from
 * "not there" to "there". A banner that stays is one appearance, however often it is checked; one
 * that flickers (re-rendered, or replaced by an identical toast) counts again only after it has
 * been gone for `rearmMs` (2 s). Its text is never read.
 *
 * Attribution: when the user clicked or submitted a rule-named control at most `attributionMs`
 * (10 s) before, and did nothing else since, the detection carries that control's rule target
 * ("errors after Save"); otherwise it is counted against the screen only. The banner's state
 * survives screen changes, so a toast that stays across a navigation is not counted twice.
 *
 * Public counterparts: Clarity's and Datadog's "error clicks" (a click followed by a script
 * error); here the error is the one the user sees, not a console error.
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, type Clock, type Detector } from './detection';

export function createErrorBannerDetector(options: { thresholds: FrictionThresholds['errorBanner']; now: Clock }): Detector {
  const { rearmMs, attributionMs } = options.thresholds;
  let screen: string | null = null;
  let present = false;
  let goneSince: number | undefined;
  let lastAction: { at: number; target: string | undefined } | undefined;

  return {
    observe(o) {
      switch (o.kind) {
        case 'screen':
          screen = o.screen;
          lastAction = undefined;
          return [];
        case 'click':
        case 'submit':
          lastAction = { at: options.now(), target: o.target };
          return [];
        case 'error-banner': {
          const now = options.now();
          if (!o.present) {
            if (present) goneSince = now;
            present = false;
            return [];
          }
          if (present) return [];
          present = true;
          if (goneSince !== undefined && now - goneSince < rearmMs) return [];
          const target = lastAction && now - lastAction.at <= attributionMs ? lastAction.target : undefined;
          return detection('error-banner', screen, { target });
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
