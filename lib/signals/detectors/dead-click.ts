/**
 * Dead click: a click on something that looks clickable, after which nothing happens.
 *
 * Definition (defaults in thresholds.ts): the adapter says the clicked thing looks clickable
 * (button, link, role=button and the like, or cursor:pointer) and is not a text field; then, for
 * `windowMs` (1,000 ms) after the click, the page shows no response at all: no DOM mutation
 * anywhere on the page, no navigation, no focus change, no input/change event, no scroll, no tab
 * switch (the adapter reports each of these as `activity`). A response at exactly `windowMs`
 * still counts as one; the click is reported when the window has passed without any.
 *
 * Why 1 s and not Sentry's 7 s: Sentry's dead/"slow" click asks "did the app respond at all
 * within 7 s", which mixes broken controls with slow servers. We ask Clarity's question ("no
 * feedback from the page in a reasonable amount of time"): a healthy CRM control gives *some*
 * feedback (a spinner, a disabled state, a dialog) within a second even when its server call is
 * slow, and one second is the classic limit for a user's flow of thought. A slow save with a
 * spinner is therefore not a dead click; a button that silently ignores the user is.
 *
 * Clicking the same control again while its window is open is one dead click, not several
 * (Sentry treats clicks within a second as one "multi click"; a rage click on a dead button is
 * then one dead click plus one rage click). The clicked control's rule target, if any, is kept.
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, type Clock, type Detection, type Detector } from './detection';

interface Pending {
  element: number;
  screen: string | null;
  target: string | undefined;
  deadline: number;
}

/** More pending clicks than this in one window is a script or a test, not a person. */
const MAX_PENDING = 10;

export interface DeadClickDetector extends Detector {
  /** Clicks waiting for a response: the adapter reports activity only while there are some. */
  pending(): number;
}

export function createDeadClickDetector(options: { thresholds: FrictionThresholds['deadClick']; now: Clock }): DeadClickDetector {
  const { windowMs } = options.thresholds;
  let screen: string | null = null;
  let pending: Pending[] = [];

  return {
    observe(o) {
      switch (o.kind) {
        case 'click': {
          if (!o.clickable || o.editable) return [];
          if (pending.some((p) => p.element === o.element)) return [];
          pending.push({ element: o.element, screen, target: o.target, deadline: options.now() + windowMs });
          if (pending.length > MAX_PENDING) pending.shift();
          return [];
        }
        case 'activity':
        case 'visibility':
          pending = [];
          return [];
        case 'screen':
          // A screen change is navigation: every pending click got its response.
          pending = [];
          screen = o.screen;
          return [];
        default:
          return [];
      }
    },
    tick() {
      const now = options.now();
      const out: Detection[] = [];
      pending = pending.filter((p) => {
        if (now <= p.deadline) return true;
        out.push(...detection('dead-click', p.screen, { target: p.target }));
        return false;
      });
      return out;
    },
    nextDeadline() {
      return pending.length > 0 ? Math.min(...pending.map((p) => p.deadline)) + 1 : undefined;
    },
    // The page is going away (navigation): that is a response.
    flush() {
      pending = [];
      return [];
    },
    pending: () => pending.length,
  };
}
