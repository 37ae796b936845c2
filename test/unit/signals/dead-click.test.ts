import { describe, expect, it } from 'vitest';
import { createDeadClickDetector } from '../../../lib/signals/detectors/dead-click';
import type { Detection, Observation } from '../../../lib/signals/detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const SCREEN = 'demo/contact-record';
const SAVE = 'demo/contact-record.tooltips#save';

function setup(windowMs = DEFAULT_FRICTION_THRESHOLDS.deadClick.windowMs) {
  let t = 0;
  const detector = createDeadClickDetector({ thresholds: { windowMs }, now: () => t });
  const out: Detection[] = [];
  detector.observe({ kind: 'screen', screen: SCREEN });
  const feed = (at: number, o: Observation) => {
    t = at;
    out.push(...detector.observe(o));
  };
  const click = (at: number, over: Partial<Extract<Observation, { kind: 'click' }>> = {}) =>
    feed(at, { kind: 'click', element: 1, x: 0, y: 0, clickable: true, editable: false, ...over });
  const tick = (at: number) => {
    t = at;
    out.push(...detector.tick());
  };
  return { detector, out, feed, click, tick };
}

describe('dead-click', () => {
  it('a clickable thing with no response for the window is a dead click', () => {
    const { out, click, tick, detector } = setup();
    click(0, { target: SAVE });
    expect(detector.pending()).toBe(1);
    expect(detector.nextDeadline()).toBe(1001);
    tick(1000);
    expect(out).toEqual([]);
    tick(1001);
    expect(out).toEqual([{ type: 'dead-click', screen: SCREEN, target: SAVE }]);
    expect(detector.pending()).toBe(0);
    expect(detector.nextDeadline()).toBeUndefined();
  });

  it('a response just under the window rescues it', () => {
    const { out, click, feed, tick } = setup();
    click(0);
    feed(999, { kind: 'activity' });
    tick(5000);
    expect(out).toEqual([]);
  });

  it('a response exactly at the window rescues it', () => {
    const { out, click, feed, tick } = setup();
    click(0);
    feed(1000, { kind: 'activity' });
    tick(5000);
    expect(out).toEqual([]);
  });

  it('a response after the window is too late (once the window was closed)', () => {
    const { out, click, feed, tick } = setup();
    click(0);
    tick(1001);
    feed(1002, { kind: 'activity' });
    expect(out).toEqual([{ type: 'dead-click', screen: SCREEN }]);
  });

  it('navigation, a tab switch and a page going away are responses', () => {
    for (const o of [{ kind: 'screen', screen: 'demo/contact-list' }, { kind: 'visibility', visible: false }] as Observation[]) {
      const { out, click, feed, tick } = setup();
      click(0);
      feed(500, o);
      tick(5000);
      expect(out).toEqual([]);
    }
    const { out, click, tick, detector } = setup();
    click(0);
    expect(detector.flush()).toEqual([]);
    tick(5000);
    expect(out).toEqual([]);
  });

  it('ignores things that do not look clickable and fields', () => {
    const { out, click, tick, detector } = setup();
    click(0, { clickable: false });
    click(0, { element: 2, editable: true });
    expect(detector.pending()).toBe(0);
    tick(5000);
    expect(out).toEqual([]);
  });

  it('clicking the same control again while waiting is one dead click (multi-click)', () => {
    const { out, click, tick } = setup();
    click(0);
    click(200);
    click(400);
    tick(5000);
    expect(out).toEqual([{ type: 'dead-click', screen: SCREEN }]);
  });

  it('two different controls are two dead clicks, each on its own deadline', () => {
    const { out, click, tick } = setup();
    click(0, { element: 1 });
    click(500, { element: 2, target: SAVE });
    tick(1001);
    expect(out).toEqual([{ type: 'dead-click', screen: SCREEN }]);
    tick(1501);
    expect(out).toEqual([
      { type: 'dead-click', screen: SCREEN },
      { type: 'dead-click', screen: SCREEN, target: SAVE },
    ]);
  });

  it('the dead click belongs to the screen it happened on', () => {
    const { out, click, tick, feed } = setup();
    click(0);
    tick(1001);
    feed(2000, { kind: 'screen', screen: 'demo/deal-board' });
    click(3000);
    tick(4001);
    expect(out.map((d) => d.screen)).toEqual([SCREEN, 'demo/deal-board']);
  });

  it('honours the window threshold', () => {
    const { out, click, tick } = setup(7000);
    click(0);
    tick(7000);
    expect(out).toEqual([]);
    tick(7001);
    expect(out).toHaveLength(1);
  });
});
