import { describe, expect, it } from 'vitest';
import { createRageClickDetector } from '../../../lib/signals/detectors/rage-click';
import type { Detection, Observation } from '../../../lib/signals/detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const SCREEN = 'demo/contact-record';
const SAVE = 'demo/contact-record.tooltips#save';

function setup(thresholds = DEFAULT_FRICTION_THRESHOLDS.rageClick) {
  let t = 0;
  const detector = createRageClickDetector({ thresholds, now: () => t });
  const out: Detection[] = [];
  detector.observe({ kind: 'screen', screen: SCREEN });
  const click = (at: number, x = 100, y = 100, over: Partial<Extract<Observation, { kind: 'click' }>> = {}) => {
    t = at;
    out.push(...detector.observe({ kind: 'click', element: 1, x, y, clickable: true, editable: false, ...over }));
  };
  const tick = (at: number) => {
    t = at;
    out.push(...detector.tick());
  };
  return { detector, out, click, tick, at: (ms: number) => (t = ms) };
}

describe('rage-click', () => {
  it('3 clicks within 1,000 ms and 30 px is a rage click, reported when the burst ends', () => {
    const { out, click, tick, detector } = setup();
    click(0);
    click(300, 110, 95);
    click(600, 90, 105, { target: SAVE });
    expect(out).toEqual([]); // the burst may go on
    expect(detector.nextDeadline()).toBe(1601);
    tick(1600);
    expect(out).toEqual([]); // a click at exactly +1000 would still join
    tick(1601);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, target: SAVE, count: 3 }]);
  });

  it('exactly at the window (first to third click = 1,000 ms) counts', () => {
    const { out, click, tick } = setup();
    click(0);
    click(500);
    click(1000);
    tick(5000);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 3 }]);
  });

  it('just over the window (1,001 ms) does not', () => {
    const { out, click, tick, detector } = setup();
    click(0);
    click(500);
    click(1001);
    expect(detector.nextDeadline()).toBeUndefined(); // nothing to report
    tick(5000);
    expect(out).toEqual([]);
  });

  it('uses a sliding window: the 4th click can complete 3 within a second', () => {
    const { out, click, tick } = setup();
    click(0);
    click(600);
    click(1200); // 0..1200: too slow
    click(1500); // 600..1500: 900 ms
    tick(3000);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 4 }]);
  });

  it('2 clicks (a double click) are not a rage click', () => {
    const { out, click, tick } = setup();
    click(0);
    click(100);
    tick(5000);
    expect(out).toEqual([]);
  });

  it('radius: exactly 30 px joins, 30.1 px starts a new burst', () => {
    const a = setup();
    a.click(0, 100, 100);
    a.click(100, 130, 100);
    a.click(200, 100, 130);
    a.tick(5000);
    expect(a.out).toHaveLength(1);

    const b = setup();
    b.click(0, 100, 100);
    b.click(100, 100, 100);
    b.click(200, 130.1, 100);
    b.tick(5000);
    expect(b.out).toEqual([]);
  });

  it('distance is from the burst’s first click: no drifting across the page', () => {
    const { out, click, tick } = setup();
    click(0, 100, 100);
    click(100, 125, 100);
    click(200, 150, 100); // 25 px from the previous click, 50 from the first
    tick(5000);
    expect(out).toEqual([]);
  });

  it('a click elsewhere ends the burst and reports it at once', () => {
    const { out, click } = setup();
    click(0);
    click(100);
    click(200);
    click(300, 500, 500);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 3 }]);
  });

  it('one report per burst, with the number of clicks (capped at 99)', () => {
    const { out, click, tick } = setup();
    for (let i = 0; i < 150; i++) click(i * 100);
    tick(100_000);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 99 }]);
  });

  it('ignores clicks in fields and text-selecting multi-clicks', () => {
    const { out, click, tick } = setup();
    click(0, 100, 100, { editable: true });
    click(100, 100, 100, { editable: true });
    click(200, 100, 100, { editable: true });
    click(1000, 300, 300, { clickable: false });
    click(1100, 300, 300, { clickable: false, selecting: true });
    click(1200, 300, 300, { clickable: false, selecting: true });
    tick(9000);
    expect(out).toEqual([]);
  });

  it('counts clicks on things that are not clickable (Clarity: any clustered area)', () => {
    const { out, click, tick } = setup();
    click(0, 100, 100, { clickable: false, element: 1 });
    click(100, 100, 100, { clickable: false, element: 2 }); // re-rendered: another node
    click(200, 100, 100, { clickable: false, element: 3 });
    tick(5000);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 3 }]);
  });

  it('a screen change ends the burst on the old screen; the new screen starts fresh', () => {
    const { out, click, detector, at } = setup();
    click(0);
    click(100);
    click(200);
    at(250);
    out.push(...detector.observe({ kind: 'screen', screen: 'demo/contact-list' }));
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 3 }]);
    click(300);
    click(400);
    out.push(...detector.flush());
    expect(out).toHaveLength(1);
  });

  it('off any known screen nothing is reported', () => {
    const { out, click, tick, detector } = setup();
    detector.observe({ kind: 'screen', screen: null });
    click(0);
    click(100);
    click(200);
    tick(5000);
    expect(out).toEqual([]);
  });

  it('flush reports a burst in progress (the page is going away)', () => {
    const { out, click, detector } = setup();
    click(0);
    click(100);
    click(200);
    out.push(...detector.flush());
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 3 }]);
  });

  it('honours other thresholds', () => {
    const { out, click, tick } = setup({ clicks: 4, radiusPx: 10, windowMs: 500 });
    click(0);
    click(100);
    click(200);
    tick(2000);
    click(3000);
    click(3100, 105, 105);
    click(3200);
    click(3300);
    tick(9000);
    expect(out).toEqual([{ type: 'rage-click', screen: SCREEN, count: 4 }]);
  });
});
