import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FRICTION_SIGNAL_TYPES } from '../../../lib/signals/detectors/index';
import {
  DEFAULT_FRICTION_THRESHOLDS,
  THRESHOLD_RANGES,
  mergeFrictionThresholds,
  parseFrictionThresholds,
  type FrictionThresholds,
} from '../../../lib/signals/thresholds';

const groups = Object.keys(DEFAULT_FRICTION_THRESHOLDS) as Array<keyof FrictionThresholds>;

describe('friction thresholds', () => {
  it('the defaults are the documented ones', () => {
    expect(DEFAULT_FRICTION_THRESHOLDS.rageClick).toEqual({ clicks: 3, radiusPx: 30, windowMs: 1000 });
    expect(DEFAULT_FRICTION_THRESHOLDS.deadClick).toEqual({ windowMs: 1000 });
    expect(DEFAULT_FRICTION_THRESHOLDS.validationLoop.failedSubmits).toBe(2);
  });

  it('every default lies inside its range, and every number has a range', () => {
    for (const g of groups) {
      const ranges = THRESHOLD_RANGES[g] as Record<string, readonly [number, number, 'int'?]>;
      for (const [key, value] of Object.entries(DEFAULT_FRICTION_THRESHOLDS[g])) {
        if (typeof value !== 'number') continue;
        const range = ranges[key];
        expect(range, `${g}.${key}`).toBeDefined();
        expect(value).toBeGreaterThanOrEqual(range![0]);
        expect(value).toBeLessThanOrEqual(range![1]);
      }
    }
  });

  it('no overrides: the defaults', () => {
    expect(parseFrictionThresholds(undefined)).toEqual({ ok: true, thresholds: DEFAULT_FRICTION_THRESHOLDS });
    expect(parseFrictionThresholds({})).toEqual({ ok: true, thresholds: DEFAULT_FRICTION_THRESHOLDS });
  });

  it('applies partial overrides over the defaults', () => {
    const parsed = parseFrictionThresholds({ deadClick: { windowMs: 2500 }, formDwell: { minBucket: '2m-5m' } });
    expect(parsed.ok).toBe(true);
    expect(parsed.thresholds.deadClick.windowMs).toBe(2500);
    expect(parsed.thresholds.formDwell.minBucket).toBe('2m-5m');
    expect(parsed.thresholds.rageClick).toEqual(DEFAULT_FRICTION_THRESHOLDS.rageClick);
  });

  it('clamps numbers into sane ranges and rounds counts', () => {
    const { thresholds } = parseFrictionThresholds({
      rageClick: { clicks: 2, radiusPx: 10_000, windowMs: 1 },
      deadClick: { windowMs: 60_000 },
      validationLoop: { failedSubmits: 3.6 },
      limits: { perTypePerVisit: 0 },
    });
    expect(thresholds.rageClick).toEqual({ clicks: 3, radiusPx: 200, windowMs: 300 });
    expect(thresholds.deadClick.windowMs).toBe(10_000);
    expect(thresholds.validationLoop.failedSubmits).toBe(4);
    expect(thresholds.limits.perTypePerVisit).toBe(1);
  });

  it.each([
    ['an unknown group', { rage: { clicks: 3 } }, 'rage'],
    ['an unknown key', { rageClick: { clickz: 3 } }, 'rageClick'],
    ['a string number', { deadClick: { windowMs: '1000' } }, 'deadClick.windowMs'],
    ['NaN', { deadClick: { windowMs: Number.NaN } }, 'deadClick.windowMs'],
    ['Infinity', { deadClick: { windowMs: Number.POSITIVE_INFINITY } }, 'deadClick.windowMs'],
    ['an unknown bucket', { formDwell: { minBucket: '1h' } }, 'formDwell.minBucket'],
    ['not an object', 'fast', '(root)'],
  ])('rejects %s and keeps every default', (_, input, path) => {
    const parsed = parseFrictionThresholds(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.thresholds).toEqual(DEFAULT_FRICTION_THRESHOLDS);
    if (!parsed.ok) expect(parsed.issues.join('\n')).toContain(path);
  });

  it('mergeFrictionThresholds (no zod) clamps too and ignores junk', () => {
    const merged = mergeFrictionThresholds({
      rageClick: { clicks: 1 },
      deadClick: { windowMs: Number.NaN },
      formDwell: { minBucket: 'x' as never },
    });
    expect(merged.rageClick.clicks).toBe(3);
    expect(merged.deadClick.windowMs).toBe(1000);
    expect(merged.formDwell.minBucket).toBe('under-30s');
  });

  it('docs/signals.md names every signal type and every threshold', () => {
    const docs = readFileSync(new URL('../../../docs/signals.md', import.meta.url), 'utf8');
    for (const type of FRICTION_SIGNAL_TYPES) expect(docs, type).toContain(`\`${type}\``);
    for (const g of groups) for (const key of Object.keys(DEFAULT_FRICTION_THRESHOLDS[g])) expect(docs, `${g}.${key}`).toContain(`${g}.${key}`);
  });
});
