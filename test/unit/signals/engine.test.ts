import { describe, expect, it } from 'vitest';
import { createFrictionEngine } from '../../../lib/signals/detectors/engine';
import type { Detection, Observation } from '../../../lib/signals/detectors/detection';
import { FRICTION_SIGNAL_TYPES } from '../../../lib/signals/detectors/index';
import { mergeFrictionThresholds } from '../../../lib/signals/thresholds';

const LIST = 'demo/contact-list';
const NEW = 'demo/contact-new';
const SAVE = 'demo/contact-new.tooltips#save';
const EMAIL = 'demo/contact-new.tooltips#email';

function setup(overrides = {}) {
  let t = 0;
  const engine = createFrictionEngine({ thresholds: mergeFrictionThresholds(overrides), now: () => t });
  const out: Detection[] = [];
  const feed = (at: number, o: Observation) => {
    t = at;
    out.push(...engine.observe(o));
  };
  const tick = (at: number) => {
    t = at;
    out.push(...engine.tick());
  };
  const click = (at: number, over: Partial<Extract<Observation, { kind: 'click' }>> = {}) =>
    feed(at, { kind: 'click', element: 1, x: 10, y: 10, clickable: true, editable: false, ...over });
  return { engine, out, feed, tick, click, at: (ms: number) => (t = ms) };
}

describe('friction engine', () => {
  it('closes timed-out windows before each observation: a late response rescues nothing', () => {
    const { out, click, feed } = setup();
    feed(0, { kind: 'screen', screen: NEW });
    click(100);
    feed(1101, { kind: 'activity' }); // the timer was late; the window had passed
    expect(out).toEqual([{ type: 'dead-click', screen: NEW }]);
  });

  it('reports whether clicks wait for a response, and the next deadline', () => {
    const { engine, click, feed } = setup();
    feed(0, { kind: 'screen', screen: NEW });
    expect(engine.awaitingResponse()).toBe(false);
    expect(engine.nextDeadline()).toBeUndefined();
    click(100);
    expect(engine.awaitingResponse()).toBe(true);
    expect(engine.nextDeadline()).toBe(1101);
    feed(200, { kind: 'activity' });
    expect(engine.awaitingResponse()).toBe(false);
  });

  it('caps each type per screen visit (limits.perTypePerVisit); a new visit resets the cap', () => {
    const { out, click, tick, feed } = setup({ limits: { perTypePerVisit: 2 } });
    feed(0, { kind: 'screen', screen: NEW });
    for (let i = 0; i < 5; i++) {
      click(i * 10_000, { element: i });
      tick(i * 10_000 + 1001);
    }
    expect(out.filter((d) => d.type === 'dead-click')).toHaveLength(2);
    feed(100_000, { kind: 'screen', screen: LIST });
    click(100_001);
    tick(200_000);
    expect(out.filter((d) => d.type === 'dead-click')).toHaveLength(3);
  });

  it('a realistic struggle produces every signal type', () => {
    const { out, click, tick, feed, engine, at } = setup();
    const submitFails = (ms: number) => {
      feed(ms, { kind: 'submit', form: 9, target: SAVE, blocked: false });
      feed(ms + 3000, { kind: 'field-errors', form: 9, count: 1 });
    };
    feed(0, { kind: 'screen', screen: LIST, page: 1 });
    feed(1000, { kind: 'screen', screen: NEW, page: 2 });
    feed(2000, { kind: 'screen', screen: LIST, page: 1 });
    feed(3000, { kind: 'screen', screen: NEW, page: 2 }); // back-and-forth
    feed(4000, { kind: 'field-focus', field: 5, target: EMAIL, required: true, empty: true, invalid: false });
    feed(5000, { kind: 'field-blur', field: 5, target: EMAIL, required: true, empty: true });
    feed(6000, { kind: 'field-focus', field: 5, target: EMAIL, required: true, empty: true, invalid: false });
    feed(7000, { kind: 'field-blur', field: 5, target: EMAIL, required: true, empty: true }); // bounce
    click(10_000, { target: SAVE });
    click(10_100, { target: SAVE });
    click(10_200, { target: SAVE });
    tick(12_000); // rage + dead click
    submitFails(20_000);
    feed(21_000, { kind: 'error-banner', present: true }); // error banner
    submitFails(30_000); // validation loop
    at(4 * 60_000);
    out.push(...engine.flush()); // form dwell
    expect(new Set(out.map((d) => d.type))).toEqual(new Set(FRICTION_SIGNAL_TYPES));
    expect(out).toEqual([
      { type: 'back-and-forth', screen: NEW, peer: LIST },
      { type: 'required-field-bounce', screen: NEW, target: EMAIL },
      { type: 'rage-click', screen: NEW, target: SAVE, count: 3 },
      { type: 'dead-click', screen: NEW, target: SAVE },
      { type: 'error-banner', screen: NEW, target: SAVE },
      { type: 'validation-loop', screen: NEW, target: SAVE },
      { type: 'form-dwell', screen: NEW, bucket: '2m-5m' },
    ]);
  });
});
