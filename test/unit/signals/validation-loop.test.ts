import { describe, expect, it } from 'vitest';
import { createValidationLoopDetector } from '../../../lib/signals/detectors/validation-loop';
import type { Detection, Observation } from '../../../lib/signals/detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const SCREEN = 'demo/contact-new';
const SAVE = 'demo/contact-new.tooltips#save';

function setup(failedSubmits = DEFAULT_FRICTION_THRESHOLDS.validationLoop.failedSubmits) {
  let t = 0;
  const detector = createValidationLoopDetector({ thresholds: { failedSubmits, outcomeDelayMs: 3000 }, now: () => t });
  const out: Detection[] = [];
  const feed = (o: Observation) => {
    t += 100;
    out.push(...detector.observe(o));
  };
  feed({ kind: 'screen', screen: SCREEN });
  const submit = (form = 1, target: string | undefined = SAVE) => feed({ kind: 'submit', form, target, blocked: false });
  const blocked = (form = 1) => feed({ kind: 'submit', form, blocked: true });
  const outcome = (count: number, form = 1, banner = false) => feed({ kind: 'field-errors', form, count, banner });
  return { out, feed, submit, blocked, outcome };
}

describe('validation-loop', () => {
  it('submit → errors → submit → errors is a loop (2 failed submits)', () => {
    const { out, submit, outcome } = setup();
    submit();
    outcome(2);
    expect(out).toEqual([]); // one failed submit: just under the threshold
    submit();
    outcome(1);
    expect(out).toEqual([{ type: 'validation-loop', screen: SCREEN, target: SAVE }]);
  });

  it('is reported once per form per visit, however long the loop goes on', () => {
    const { out, submit, outcome } = setup();
    for (let i = 0; i < 6; i++) {
      submit();
      outcome(1);
    }
    expect(out).toHaveLength(1);
  });

  it('blocked submits (the browser’s own validation) are failed submits', () => {
    const { out, blocked, submit, outcome } = setup();
    blocked();
    submit();
    outcome(1);
    expect(out).toEqual([{ type: 'validation-loop', screen: SCREEN, target: SAVE }]);
    const b = setup();
    b.blocked();
    b.blocked();
    expect(b.out).toEqual([{ type: 'validation-loop', screen: SCREEN }]);
  });

  it('the error banner after a submit is a failure too', () => {
    const { out, submit, outcome } = setup();
    submit();
    outcome(0, 1, true);
    submit();
    outcome(0, 1, true);
    expect(out).toHaveLength(1);
  });

  it('a submit that goes through breaks the loop', () => {
    const { out, submit, outcome } = setup();
    submit();
    outcome(1);
    submit();
    outcome(0); // saved
    submit();
    outcome(1);
    expect(out).toEqual([]);
    submit();
    outcome(1);
    expect(out).toHaveLength(1);
  });

  it('counts per form', () => {
    const { out, submit, outcome } = setup();
    submit(1);
    outcome(1, 1);
    submit(2);
    outcome(1, 2);
    expect(out).toEqual([]);
    submit(2);
    outcome(1, 2);
    expect(out).toHaveLength(1);
  });

  it('errors that appear without a submit (inline validation while typing) do not count', () => {
    const { out, submit, outcome } = setup();
    outcome(3);
    outcome(3);
    submit();
    outcome(1);
    outcome(1); // the same submit judged twice: one failure
    expect(out).toEqual([]);
  });

  it('a new screen visit starts from zero', () => {
    const { out, submit, outcome, feed } = setup();
    submit();
    outcome(1);
    feed({ kind: 'screen', screen: SCREEN });
    submit();
    outcome(1);
    expect(out).toEqual([]);
  });

  it('honours the threshold (3)', () => {
    const { out, submit, outcome } = setup(3);
    submit();
    outcome(1);
    submit();
    outcome(1);
    expect(out).toEqual([]);
    submit();
    outcome(1);
    expect(out).toHaveLength(1);
  });
});
