import { describe, expect, it } from 'vitest';
import { createFormDwellDetector, dwellBucket } from '../../../lib/signals/detectors/form-dwell';
import { DWELL_BUCKETS, type Detection, type DwellBucket, type Observation } from '../../../lib/signals/detectors/detection';

const FORM = 'demo/contact-new';
const LIST = 'demo/contact-list';
const S = 1000;
const M = 60 * S;

function setup(minBucket: DwellBucket = 'under-30s') {
  let t = 0;
  const detector = createFormDwellDetector({ thresholds: { minBucket }, now: () => t });
  const out: Detection[] = [];
  const feed = (at: number, o: Observation) => {
    t = at;
    out.push(...detector.observe(o));
  };
  const visit = (at: number, screen: string | null = FORM) => feed(at, { kind: 'screen', screen });
  const focus = (at: number) => feed(at, { kind: 'field-focus', field: 1, required: false, empty: false, invalid: false });
  const flush = (at: number) => {
    t = at;
    out.push(...detector.flush());
  };
  return { out, feed, visit, focus, flush };
}

describe('form-dwell', () => {
  it.each([
    [0, 'under-30s'],
    [29_999, 'under-30s'],
    [30_000, '30s-2m'],
    [119_999, '30s-2m'],
    [120_000, '2m-5m'],
    [299_999, '2m-5m'],
    [300_000, '5m-15m'],
    [899_999, '5m-15m'],
    [900_000, 'over-15m'],
    [10 * 60 * M, 'over-15m'],
  ] as const)('%i ms is %s', (ms, bucket) => expect(dwellBucket(ms)).toBe(bucket));

  it('leaving a form screen without saving reports the bucket only', () => {
    const { out, visit, focus } = setup();
    visit(0);
    focus(5 * S);
    visit(3 * M, LIST);
    expect(out).toEqual([{ type: 'form-dwell', screen: FORM, bucket: '2m-5m' }]);
  });

  it('a visit without touching a field is not a form visit', () => {
    const { out, visit } = setup();
    visit(0);
    visit(10 * M, LIST);
    expect(out).toEqual([]);
  });

  it('a submit that went through is a save: nothing reported', () => {
    const { out, visit, focus, feed } = setup();
    visit(0);
    focus(1 * S);
    feed(40 * S, { kind: 'submit', form: 7, blocked: false });
    feed(43 * S, { kind: 'field-errors', form: 7, count: 0 });
    visit(50 * S, LIST);
    expect(out).toEqual([]);
  });

  it('leaving before the outcome is known counts as saved (the CRM navigated to the record)', () => {
    const { out, visit, focus, feed } = setup();
    visit(0);
    focus(1 * S);
    feed(40 * S, { kind: 'submit', form: 7, blocked: false });
    visit(41 * S, LIST);
    expect(out).toEqual([]);
  });

  it('failed and blocked submits are not saves', () => {
    const { out, visit, focus, feed } = setup();
    visit(0);
    focus(1 * S);
    feed(10 * S, { kind: 'submit', form: 7, blocked: true });
    feed(20 * S, { kind: 'submit', form: 7, blocked: false });
    feed(23 * S, { kind: 'field-errors', form: 7, count: 2 });
    feed(30 * S, { kind: 'submit', form: 7, blocked: false });
    feed(33 * S, { kind: 'field-errors', form: 7, count: 0, banner: true });
    visit(6 * M, LIST);
    expect(out).toEqual([{ type: 'form-dwell', screen: FORM, bucket: '5m-15m' }]);
  });

  it('time with the tab hidden does not count', () => {
    const { out, visit, focus, feed } = setup();
    visit(0);
    focus(1 * S);
    feed(10 * S, { kind: 'visibility', visible: false });
    feed(60 * M, { kind: 'visibility', visible: true });
    visit(60 * M + 10 * S, LIST); // 20 s visible
    expect(out).toEqual([{ type: 'form-dwell', screen: FORM, bucket: 'under-30s' }]);
  });

  it('a visit that starts hidden, or ends hidden, counts only visible time', () => {
    const { out, visit, focus, feed, flush } = setup();
    feed(0, { kind: 'visibility', visible: false });
    visit(0);
    feed(10 * M, { kind: 'visibility', visible: true });
    focus(10 * M + 1 * S);
    feed(10 * M + 45 * S, { kind: 'visibility', visible: false });
    flush(50 * M);
    expect(out).toEqual([{ type: 'form-dwell', screen: FORM, bucket: '30s-2m' }]);
  });

  it('the page going away ends the visit', () => {
    const { out, visit, focus, flush } = setup();
    visit(0);
    focus(1 * S);
    flush(20 * M);
    expect(out).toEqual([{ type: 'form-dwell', screen: FORM, bucket: 'over-15m' }]);
    flush(30 * M);
    expect(out).toHaveLength(1);
  });

  it('minBucket drops shorter visits (exactly at its boundary is kept)', () => {
    const a = setup('2m-5m');
    a.visit(0);
    a.focus(0);
    a.visit(2 * M - 1, LIST);
    expect(a.out).toEqual([]);
    a.focus(2 * M);
    a.visit(4 * M - 1, FORM);
    expect(a.out).toEqual([{ type: 'form-dwell', screen: LIST, bucket: '2m-5m' }]);
  });

  it('off any known screen nothing is reported', () => {
    const { out, visit, focus } = setup();
    visit(0, null);
    focus(1);
    visit(10 * M, LIST);
    expect(out).toEqual([]);
  });

  it('every bucket is a listed enum value', () => {
    for (let ms = 0; ms < 20 * M; ms += 7 * S) expect(DWELL_BUCKETS).toContain(dwellBucket(ms));
  });
});
