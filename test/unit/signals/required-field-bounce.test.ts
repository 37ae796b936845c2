import { describe, expect, it } from 'vitest';
import { createRequiredFieldBounceDetector } from '../../../lib/signals/detectors/required-field-bounce';
import type { Detection, Observation } from '../../../lib/signals/detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const SCREEN = 'demo/contact-new';
const EMAIL = 'demo/contact-new.tooltips#email';
const defaults = DEFAULT_FRICTION_THRESHOLDS.requiredFieldBounce; // 2 leaves / 5 min, bounce 1.5 s

function setup(thresholds = defaults) {
  let t = 0;
  const detector = createRequiredFieldBounceDetector({ thresholds, now: () => t });
  const out: Detection[] = [];
  const feed = (at: number, o: Observation) => {
    t = at;
    out.push(...detector.observe(o));
  };
  feed(0, { kind: 'screen', screen: SCREEN });
  const leave = (at: number, over: Partial<Extract<Observation, { kind: 'field-blur' }>> = {}) =>
    feed(at, { kind: 'field-blur', field: 1, target: EMAIL, required: true, empty: true, ...over });
  const focus = (at: number, over: Partial<Extract<Observation, { kind: 'field-focus' }>> = {}) =>
    feed(at, { kind: 'field-focus', field: 1, target: EMAIL, required: true, empty: true, invalid: true, ...over });
  const submit = (at: number, blocked = true) => feed(at, { kind: 'submit', form: 1, blocked });
  return { out, feed, leave, focus, submit };
}

describe('required-field-bounce', () => {
  describe('left empty repeatedly', () => {
    it('twice within the window is a bounce', () => {
      const { out, leave } = setup();
      leave(1000);
      expect(out).toEqual([]);
      leave(2000);
      expect(out).toEqual([{ type: 'required-field-bounce', screen: SCREEN, target: EMAIL }]);
    });

    it('exactly at the window counts, just over does not', () => {
      const a = setup();
      a.leave(0);
      a.leave(defaults.emptyLeavesWindowMs);
      expect(a.out).toHaveLength(1);
      const b = setup();
      b.leave(0);
      b.leave(defaults.emptyLeavesWindowMs + 1);
      expect(b.out).toEqual([]);
    });

    it('only required fields left empty count, per field', () => {
      const { out, leave } = setup();
      leave(1, { required: false });
      leave(2, { required: false });
      leave(3, { empty: false });
      leave(4, { empty: false });
      leave(5, { field: 1 });
      leave(6, { field: 2 });
      expect(out).toEqual([]);
      leave(7, { field: 2, target: undefined });
      expect(out).toEqual([{ type: 'required-field-bounce', screen: SCREEN }]);
    });

    it('once per field per visit; a new visit starts over', () => {
      const { out, leave, feed } = setup();
      for (let i = 1; i <= 5; i++) leave(i * 1000);
      expect(out).toHaveLength(1);
      feed(10_000, { kind: 'screen', screen: SCREEN });
      leave(11_000);
      expect(out).toHaveLength(1);
      leave(12_000);
      expect(out).toHaveLength(2);
    });
  });

  describe('bounced back after a submit', () => {
    it('focus on an empty required field right after a submit is a bounce', () => {
      const { out, submit, focus } = setup();
      submit(1000);
      focus(1100);
      expect(out).toEqual([{ type: 'required-field-bounce', screen: SCREEN, target: EMAIL }]);
    });

    it('also for an invalid (but not empty) required field, and after an unblocked submit', () => {
      const { out, submit, focus } = setup();
      submit(1000, false);
      focus(1200, { empty: false, invalid: true });
      expect(out).toHaveLength(1);
    });

    it('exactly at the bounce window counts, just over does not', () => {
      const a = setup();
      a.submit(1000);
      a.focus(1000 + defaults.bounceWindowMs);
      expect(a.out).toHaveLength(1);
      const b = setup();
      b.submit(1000);
      b.focus(1001 + defaults.bounceWindowMs);
      expect(b.out).toEqual([]);
    });

    it('not without a submit, not for optional or valid fields, one bounce per submit', () => {
      const { out, submit, focus } = setup();
      focus(100);
      submit(1000);
      focus(1100, { required: false });
      focus(1200, { empty: false, invalid: false });
      expect(out).toEqual([]);
      focus(1300, { field: 2 });
      focus(1400, { field: 3 });
      expect(out).toHaveLength(1);
    });

    it('the same field is reported once per visit across both paths', () => {
      const { out, submit, focus, leave } = setup();
      submit(1000);
      focus(1100);
      leave(2000);
      leave(3000);
      submit(4000);
      focus(4100);
      expect(out).toHaveLength(1);
    });
  });

  it('off any known screen nothing is reported', () => {
    const { out, leave, feed } = setup();
    feed(0, { kind: 'screen', screen: null });
    leave(1);
    leave(2);
    expect(out).toEqual([]);
  });
});
