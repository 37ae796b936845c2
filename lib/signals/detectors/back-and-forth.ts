/**
 * Back-and-forth: A → B → A → B, the user flipping between two screens looking for something.
 *
 * Definition (defaults in thresholds.ts): four visits in a row alternate between two different
 * screens, the same two pages each time (the same record, not the next one in a list: browsing
 * records from a list is list → record → list → record and is normal work), and the fourth
 * starts at most `windowMs` (60 s) after the first. Reported once per run, on the screen where
 * it completes, with the other screen as `peer`; a run that goes on (A → B → A → B → A…) is not
 * reported again until it is broken (a third screen, another record, or a pause longer than the
 * window). Visits off any known screen are skipped (a route loading is not a visit).
 *
 * Only screen ids from the rule files are reported. "Same page" is an opaque number the adapter
 * derives from the URL in memory; it never leaves the detector.
 *
 * Public counterpart: Clarity's "quick backs" (leaving a page and returning quickly); this is the
 * in-app, two-screen version.
 */
import type { FrictionThresholds } from '../thresholds';
import { detection, type Clock, type Detector } from './detection';

interface Visit {
  screen: string;
  page: number | undefined;
  at: number;
}

export function createBackAndForthDetector(options: { thresholds: FrictionThresholds['backAndForth']; now: Clock }): Detector {
  const { windowMs } = options.thresholds;
  let visits: Visit[] = [];
  let inRun = false;

  return {
    observe(o) {
      if (o.kind !== 'screen' || o.screen === null) return [];
      const last = visits.at(-1);
      if (last && last.screen === o.screen && last.page === o.page) return [];
      visits.push({ screen: o.screen, page: o.page, at: options.now() });
      if (visits.length > 4) visits = visits.slice(-4);
      const [a1, b1, a2, b2] = visits;
      const alternates =
        a1 !== undefined &&
        b1 !== undefined &&
        a2 !== undefined &&
        b2 !== undefined &&
        a1.screen !== b1.screen &&
        a1.screen === a2.screen &&
        a1.page === a2.page &&
        b1.screen === b2.screen &&
        b1.page === b2.page &&
        b2.at - a1.at <= windowMs;
      if (!alternates) {
        inRun = false;
        return [];
      }
      if (inRun) return [];
      inRun = true;
      return detection('back-and-forth', b2.screen, { peer: a2.screen });
    },
    tick: () => [],
    nextDeadline: () => undefined,
    flush: () => [],
  };
}
