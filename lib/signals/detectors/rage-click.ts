/**
 * Rage click: the same small spot clicked again and again in quick succession.
 *
 * Definition (defaults in thresholds.ts): at least `clicks` (3) clicks, each within `radiusPx`
 * (30 px) of the burst's first click, and `clicks` of them within `windowMs` (1,000 ms).
 * A burst goes on while clicks keep coming within `windowMs` of each other in that spot; it is
 * reported once, when it ends (no click for `windowMs`, a click elsewhere, another screen, or the
 * page going away), with the number of clicks it had (`count`, capped at 99).
 *
 * Which public definition: Microsoft Clarity's ("clicks in a clustered area in rapid
 * succession"), with Sentry's numbers (3 clicks, 1 s; PostHog uses the same 3 / 30 px / 1 s).
 * Not Sentry's "same element": CRM front ends re-render the control under the user's clicks
 * (Lightning and React replace nodes), so element identity breaks exactly when people rage; and
 * Sentry only watches buttons, links and inputs, while rage on something that merely looks
 * clickable (an icon, a label, a card) is what we most want to find. The clicked control's rule
 * target, if a rule names it, is reported.
 *
 * Not rage: clicks in text fields (placing the caret, selecting a word), and multi-clicks that
 * select text on something not clickable (people triple-click to copy a phone number).
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, type Clock, type Detection, type Detector, type Observation } from './detection';

interface Burst {
  screen: string | null;
  x: number;
  y: number;
  /** Times of the last `clicks` clicks (enough to check the sliding window). */
  recent: number[];
  count: number;
  qualified: boolean;
  target: string | undefined;
}

export function createRageClickDetector(options: { thresholds: FrictionThresholds['rageClick']; now: Clock }): Detector {
  const { clicks, radiusPx, windowMs } = options.thresholds;
  let screen: string | null = null;
  let burst: Burst | null = null;

  const close = (): Detection[] => {
    const done = burst;
    burst = null;
    return done?.qualified ? detection('rage-click', done.screen, { target: done.target, count: done.count }) : [];
  };

  const click = (o: Extract<Observation, { kind: 'click' }>): Detection[] => {
    if (o.editable || o.selecting) return [];
    const now = options.now();
    const out: Detection[] = [];
    const last = burst?.recent.at(-1);
    if (burst && (last === undefined || now - last > windowMs || Math.hypot(o.x - burst.x, o.y - burst.y) > radiusPx)) {
      out.push(...close());
    }
    if (!burst) {
      burst = { screen, x: o.x, y: o.y, recent: [now], count: 1, qualified: clicks <= 1, target: o.target };
      return out;
    }
    burst.count++;
    burst.target ??= o.target;
    burst.recent.push(now);
    if (burst.recent.length > clicks) burst.recent.shift();
    if (burst.recent.length >= clicks && now - burst.recent[0]! <= windowMs) burst.qualified = true;
    return out;
  };

  return {
    observe(o) {
      switch (o.kind) {
        case 'click':
          return click(o);
        case 'screen': {
          const out = close();
          screen = o.screen;
          return out;
        }
        default:
          return [];
      }
    },
    tick() {
      const last = burst?.recent.at(-1);
      return last !== undefined && options.now() > last + windowMs ? close() : [];
    },
    nextDeadline() {
      const last = burst?.recent.at(-1);
      // Only a qualified burst has anything to report when it ends.
      return burst?.qualified && last !== undefined ? last + windowMs + 1 : undefined;
    },
    flush: close,
  };
}
