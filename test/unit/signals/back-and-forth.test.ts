import { describe, expect, it } from 'vitest';
import { createBackAndForthDetector } from '../../../lib/signals/detectors/back-and-forth';
import type { Detection } from '../../../lib/signals/detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const LIST = 'demo/contact-list';
const RECORD = 'demo/contact-record';
const BOARD = 'demo/deal-board';
const windowMs = DEFAULT_FRICTION_THRESHOLDS.backAndForth.windowMs; // 60 s

function setup() {
  let t = 0;
  const detector = createBackAndForthDetector({ thresholds: { windowMs }, now: () => t });
  const out: Detection[] = [];
  const visit = (at: number, screen: string | null, page?: number) => {
    t = at;
    out.push(...detector.observe({ kind: 'screen', screen, ...(page !== undefined && { page }) }));
  };
  return { out, visit };
}

describe('back-and-forth', () => {
  it('A → B → A → B within the window is reported on B with A as peer', () => {
    const { out, visit } = setup();
    visit(0, LIST, 1);
    visit(1000, RECORD, 2);
    visit(2000, LIST, 1);
    expect(out).toEqual([]);
    visit(3000, RECORD, 2);
    expect(out).toEqual([{ type: 'back-and-forth', screen: RECORD, peer: LIST }]);
  });

  it('exactly at the window counts, just over does not', () => {
    const a = setup();
    a.visit(0, LIST);
    a.visit(10, RECORD);
    a.visit(20, LIST);
    a.visit(windowMs, RECORD);
    expect(a.out).toHaveLength(1);
    const b = setup();
    b.visit(0, LIST);
    b.visit(10, RECORD);
    b.visit(20, LIST);
    b.visit(windowMs + 1, RECORD);
    expect(b.out).toEqual([]);
  });

  it('browsing records from a list (another record each time) is not back-and-forth', () => {
    const { out, visit } = setup();
    visit(0, LIST, 1);
    visit(1000, RECORD, 10);
    visit(2000, LIST, 1);
    visit(3000, RECORD, 11);
    visit(4000, LIST, 1);
    visit(5000, RECORD, 12);
    expect(out).toEqual([]);
  });

  it('a run that goes on is one report; a broken run can report again', () => {
    const { out, visit } = setup();
    visit(0, LIST);
    visit(1, RECORD);
    visit(2, LIST);
    visit(3, RECORD);
    visit(4, LIST);
    visit(5, RECORD);
    expect(out).toHaveLength(1);
    visit(6, BOARD);
    visit(7, LIST);
    visit(8, BOARD);
    visit(9, LIST);
    expect(out).toEqual([
      { type: 'back-and-forth', screen: RECORD, peer: LIST },
      { type: 'back-and-forth', screen: LIST, peer: BOARD },
    ]);
  });

  it('three screens, repeats of the same screen and unknown screens are not a pattern', () => {
    const { out, visit } = setup();
    visit(0, LIST);
    visit(1, RECORD);
    visit(2, BOARD);
    visit(3, RECORD);
    expect(out).toEqual([]);
    const b = setup();
    b.visit(0, LIST);
    b.visit(1, LIST); // same visit (collapsed)
    b.visit(2, null); // a route loading: skipped
    b.visit(3, RECORD);
    b.visit(4, null);
    b.visit(5, LIST);
    b.visit(6, RECORD);
    expect(b.out).toEqual([{ type: 'back-and-forth', screen: RECORD, peer: LIST }]);
  });
});
