/**
 * Nothing a detector emits can carry free text. Two layers:
 *  - types: Detection has exactly these fields, `type` and `bucket` are enums, `count` a number
 *    (checked by tsc: this file is type-checked with the rest of the project);
 *  - values: the string fields (screen, target, peer) only ever hold ids shaped like the rule
 *    files' ids. Observations stuffed with e-mails, names, URLs and record ids — in the fields
 *    detectors use and in extra fields they must ignore — never show up in a detection.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  DETECTION_KEYS,
  DWELL_BUCKETS,
  FRICTION_SIGNAL_TYPES,
  createFrictionEngine,
  detection,
  type Detection,
  type DwellBucket,
  type FrictionSignalType,
  type Observation,
} from '../../../lib/signals/detectors/index';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../../lib/signals/thresholds';

const PII = [
  'jane.doe@example.com',
  'Jane Doe',
  'jane',
  'https://acme.my.salesforce.com/lightning/r/Contact/0035e00000AbCdEAAZ/view',
  '0035e00000AbCdEAAZ',
  '/contacts/12345',
  '+47 912 34 567',
  'Acme Corp',
  'demo/contact-record?email=jane.doe@example.com',
  'demo/contact-record.tooltips#save jane',
  'demo/Jane',
];
const SCREEN = 'demo/contact-record';
const RULE = 'demo/contact-record.tooltips#save';
const SCREEN_ID = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;
const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*\.[a-z]+#[a-z0-9]+(-[a-z0-9]+)*$/;

function checkShape(d: Detection) {
  for (const key of Object.keys(d)) expect(DETECTION_KEYS as readonly string[]).toContain(key);
  expect(FRICTION_SIGNAL_TYPES).toContain(d.type);
  expect(d.screen).toMatch(SCREEN_ID);
  if (d.target !== undefined) expect(d.target).toMatch(RULE_ID);
  if (d.peer !== undefined) expect(d.peer).toMatch(SCREEN_ID);
  if (d.bucket !== undefined) expect(DWELL_BUCKETS).toContain(d.bucket);
  if (d.count !== undefined) {
    expect(Number.isInteger(d.count)).toBe(true);
    expect(d.count).toBeGreaterThanOrEqual(1);
    expect(d.count).toBeLessThanOrEqual(99);
  }
}

/** Pseudo-random but reproducible. */
function rng(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('detections carry no free text', () => {
  it('types: exactly these fields; enums and numbers where it matters', () => {
    expectTypeOf<keyof Detection>().toEqualTypeOf<'type' | 'screen' | 'target' | 'bucket' | 'count' | 'peer'>();
    expectTypeOf<Detection['type']>().toEqualTypeOf<FrictionSignalType>();
    expectTypeOf<Detection['bucket']>().toEqualTypeOf<DwellBucket | undefined>();
    expectTypeOf<Detection['count']>().toEqualTypeOf<number | undefined>();
    expect([...DETECTION_KEYS].sort()).toEqual(['bucket', 'count', 'peer', 'screen', 'target', 'type']);
    // @ts-expect-error a detection has no place for a label (or any other extra field)
    const bad: Detection = { type: 'rage-click', screen: SCREEN, label: 'Save' };
    void bad;
    // @ts-expect-error nor for free text in `type` or `bucket`
    const bad2: Detection = { type: 'clicked Save', screen: SCREEN, bucket: 'about 3 minutes' };
    void bad2;
  });

  it('detection() keeps ids and drops anything that is not one', () => {
    expect(detection('dead-click', SCREEN, { target: RULE })).toEqual([{ type: 'dead-click', screen: SCREEN, target: RULE }]);
    for (const text of PII) {
      // a non-id screen: nothing is recorded at all
      expect(detection('dead-click', text)).toEqual([]);
      // a non-id target or peer: counted against the screen only
      expect(detection('dead-click', SCREEN, { target: text, peer: text })).toEqual([{ type: 'dead-click', screen: SCREEN }]);
    }
    const extra = { target: RULE, label: 'Jane Doe', value: 'jane.doe@example.com' } as unknown as { target: string };
    expect(detection('dead-click', SCREEN, extra)).toEqual([{ type: 'dead-click', screen: SCREEN, target: RULE }]);
    expect(detection('rage-click', SCREEN, { count: 1e9 })).toEqual([{ type: 'rage-click', screen: SCREEN, count: 99 }]);
    expect(detection('rage-click', SCREEN, { count: Number.NaN })).toEqual([{ type: 'rage-click', screen: SCREEN }]);
    expect(detection('form-dwell', SCREEN, { bucket: 'Jane Doe' as DwellBucket })).toEqual([{ type: 'form-dwell', screen: SCREEN }]);
  });

  it('a scripted struggle with personal data everywhere yields only ids, enums and small numbers', () => {
    let t = 0;
    const engine = createFrictionEngine({ thresholds: DEFAULT_FRICTION_THRESHOLDS, now: () => t });
    const out: Detection[] = [];
    // Extra fields a buggy adapter might add: detectors must ignore them.
    const junk = { label: 'Jane Doe', value: 'jane.doe@example.com', url: PII[3], text: 'Acme Corp', name: 'jane' };
    const feed = (ms: number, o: Observation, extra: object = junk) => {
      t = ms;
      out.push(...engine.observe({ ...o, ...extra } as Observation));
    };
    const pii = (i: number) => PII[i % PII.length]!;
    let ms = 0;
    for (let round = 0; round < PII.length; round++) {
      const named = round % 2 === 0 ? RULE : pii(round); // half the targets are personal data
      feed((ms += 10), { kind: 'screen', screen: 'demo/contact-list', page: 1 });
      feed((ms += 10), { kind: 'screen', screen: SCREEN, page: 2 });
      feed((ms += 10), { kind: 'screen', screen: 'demo/contact-list', page: 1 });
      feed((ms += 10), { kind: 'screen', screen: SCREEN, page: 2 });
      feed((ms += 10), { kind: 'field-focus', field: round, target: named, required: true, empty: true, invalid: true });
      feed((ms += 10), { kind: 'field-blur', field: round, target: named, required: true, empty: true });
      feed((ms += 10), { kind: 'field-focus', field: round, target: named, required: true, empty: true, invalid: true });
      feed((ms += 10), { kind: 'field-blur', field: round, target: named, required: true, empty: true });
      for (let c = 0; c < 4; c++) feed((ms += 100), { kind: 'click', element: round, target: named, x: 5, y: 5, clickable: true, editable: false });
      t = ms += 2000;
      out.push(...engine.tick());
      for (let s = 0; s < 2; s++) {
        feed((ms += 10), { kind: 'submit', form: round, target: named, blocked: false });
        feed((ms += 3000), { kind: 'field-errors', form: round, count: 2, banner: true });
        feed((ms += 10), { kind: 'error-banner', present: s === 0 });
      }
      t = ms += 4 * 60_000;
      // a screen id made of personal data: the visit it starts records nothing
      feed((ms += 10), { kind: 'screen', screen: pii(round) });
      for (let c = 0; c < 4; c++) feed((ms += 100), { kind: 'click', element: 99, target: RULE, x: 5, y: 5, clickable: true, editable: false });
      t = ms += 2000;
      out.push(...engine.tick());
    }
    t = ms += 1000;
    out.push(...engine.flush());

    expect(new Set(out.map((d) => d.type))).toEqual(new Set(FRICTION_SIGNAL_TYPES)); // not vacuous
    for (const d of out) checkShape(d);
    const json = JSON.stringify(out);
    for (const text of [...PII, ...Object.values(junk)]) expect(json).not.toContain(text);
    // Targets that were personal data were dropped, not truncated or escaped.
    expect(new Set(out.flatMap((d) => (d.target ? [d.target] : [])))).toEqual(new Set([RULE]));
  });

  it('random observations never produce a detection outside the allowed shapes', () => {
    const random = rng(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const strings = [...PII, SCREEN, RULE, 'demo/contact-list', undefined, null];
    let t = 0;
    const engine = createFrictionEngine({ thresholds: DEFAULT_FRICTION_THRESHOLDS, now: () => t });
    const out: Detection[] = [];
    for (let i = 0; i < 20_000; i++) {
      t += Math.floor(random() * 800);
      const s = () => pick(strings) as string;
      const o = pick<() => Observation>([
        () => ({ kind: 'screen', screen: s(), page: Math.floor(random() * 3) }),
        () => ({ kind: 'click', element: Math.floor(random() * 3), target: s(), x: random() * 40, y: random() * 40, clickable: random() < 0.7, editable: random() < 0.1 }),
        () => ({ kind: 'activity' }),
        () => ({ kind: 'submit', form: 1, target: s(), blocked: random() < 0.3 }),
        () => ({ kind: 'field-errors', form: 1, count: Math.floor(random() * 3), banner: random() < 0.3 }),
        () => ({ kind: 'field-focus', field: Math.floor(random() * 3), target: s(), required: random() < 0.7, empty: random() < 0.5, invalid: random() < 0.5 }),
        () => ({ kind: 'field-blur', field: Math.floor(random() * 3), target: s(), required: random() < 0.7, empty: random() < 0.5 }),
        () => ({ kind: 'error-banner', present: random() < 0.5 }),
        () => ({ kind: 'visibility', visible: random() < 0.8 }),
      ])();
      out.push(...engine.observe({ ...o, note: pick(PII) } as unknown as Observation));
      if (random() < 0.2) out.push(...engine.tick());
    }
    out.push(...engine.flush());
    expect(out.length).toBeGreaterThan(100);
    for (const d of out) checkShape(d);
    const json = JSON.stringify(out);
    for (const text of PII) expect(json).not.toContain(text);
  });
});
