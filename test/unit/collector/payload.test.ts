import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNAL_TYPES } from '../../../lib/messages';
import {
  MAX_ROWS_PER_BATCH,
  PERIOD_GRANULARITIES,
  parsePeriod,
  periodOf,
  aggregateRowSchema,
  insightsQuerySchema,
  isCalendarDay,
  randomId,
  uploadBatchSchema,
} from '../../../lib/sync/payload';
import { batch, row } from './helpers';

const paths = (value: unknown) => {
  const r = uploadBatchSchema.safeParse(value);
  return r.success ? [] : [...new Set(r.error.issues.map((i) => i.path.join('.')))];
};

describe('upload batch schema (lib/sync/payload.ts)', () => {
  it('accepts a realistic batch, and randomId makes valid ids', () => {
    const b = batch(
      [
        row({ type: 'rage-click', count: 3, rule: 'demo/contacts.tooltips#save' }),
        row({ type: 'dead-click', count: 1 }),
        row({ type: 'form-dwell', count: 3, durations: { 'under-30s': 1, '2m-5m': 2 } }),
        row({ type: 'back-and-forth', count: 2, peer: 'demo/deals' }),
        row({ type: 'tip-shown', count: 9, rule: 'demo/contacts.tooltips#save' }),
        row({ type: 'walkthrough-started', count: 1, rule: 'demo/contacts.walkthrough#first' }),
        row({ type: 'feedback', count: 1, rule: 'demo/contacts.tooltips#save', detail: 'helpful' }),
        row({ type: 'help-opened', count: 2 }),
      ],
      { feedback: [{ day: '2026-11-01', pack: 'demo', rule: 'demo/contacts.tooltips#save', kind: 'helpful', text: 'Nice.\nThanks' }] },
    );
    expect(paths(b)).toEqual([]);
    expect(randomId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(paths({ ...b, batchId: crypto.randomUUID() })).toEqual([]);
  });

  it('has no place for free text: unknown fields and text in id fields are refused', () => {
    expect(paths({ ...batch([row()]), note: 'hi' })).toEqual(['']);
    expect(paths(batch([{ ...row(), label: 'Save contact' } as never]))).toEqual(['rows.0']);
    for (const field of ['crm', 'pack', 'packVersion', 'screen', 'rule', 'peer', 'day'] as const) {
      expect(paths(batch([row({ [field]: 'Ola Nordmann <ola@example.com>' })]))).toContain(`rows.0.${field}`);
    }
    expect(paths(batch([row()], { contributor: 'ola@example.com' }))).toEqual(['contributor']);
    expect(paths(batch([row()], { extensionVersion: 'v1 beta' }))).toEqual(['extensionVersion']);
  });

  it('property: no string anywhere in an accepted batch contains a space, @, or a letter outside ids', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('crm', 'pack', 'packVersion', 'screen', 'rule', 'peer', 'day'), (text, field) => {
        const r = aggregateRowSchema.safeParse(row({ [field]: text, ...(field === 'peer' ? { type: 'back-and-forth' } : {}) }));
        if (r.success) expect(text).toMatch(/^[a-z0-9/.#-]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it('checks each field where its type uses it', () => {
    expect(paths(batch([row({ type: 'feedback', rule: 'demo/a.tooltips#b' })]))).toEqual(['rows.0.detail']);
    expect(paths(batch([row({ type: 'rage-click', detail: 'helpful' })]))).toEqual(['rows.0.detail']);
    expect(paths(batch([row({ type: 'tip-shown' })]))).toEqual(['rows.0.rule']);
    expect(paths(batch([row({ type: 'help-opened', rule: 'demo/a.tooltips#b' })]))).toEqual(['rows.0.rule']);
    expect(paths(batch([row({ type: 'rage-click', peer: 'demo/b' })]))).toEqual(['rows.0.peer']);
    expect(paths(batch([row({ type: 'form-dwell', count: 2 })]))).toEqual(['rows.0.durations']);
    expect(paths(batch([row({ type: 'form-dwell', count: 2, durations: { 'under-30s': 1 } })]))).toEqual(['rows.0.durations']);
    expect(paths(batch([row({ type: 'rage-click', durations: { 'under-30s': 1 } })]))).toEqual(['rows.0.durations']);
    expect(paths(batch([row({ type: 'form-dwell', count: 1, durations: { 'forever': 1 } as never })]))).toEqual(['rows.0.durations']);
    expect(paths(batch([row({ count: 0 })]))).toEqual(['rows.0.count']);
    expect(paths(batch([row({ count: 1.5 })]))).toEqual(['rows.0.count']);
    expect(paths(batch([row({ type: 'page-viewed' as never })]))).toEqual(['rows.0.type']);
  });

  it('one day per batch (the contributor id is per day), each row key once, a size cap', () => {
    expect(paths(batch([row(), row({ day: '2026-11-03', type: 'dead-click' })]))).toEqual(['rows.1.day']);
    expect(paths(batch([row(), row()]))).toEqual(['rows.1']);
    const many = Array.from({ length: MAX_ROWS_PER_BATCH + 1 }, (_, i) => row({ screen: `demo/s${i}` }));
    expect(paths(batch(many))).toEqual(['rows']);
    expect(paths(batch([]))).toEqual(['rows']);
    expect(paths({ ...batch([row()]), format: 2 })).toEqual(['format']);
  });

  it('days are real calendar days', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-30')).toBe(false);
    expect(isCalendarDay('2026-13-01')).toBe(false);
    expect(paths(batch([row({ day: '2026-02-30' })]))).toEqual(['rows.0.day']);
  });

  it('feedback comments: only with a kind and a rule, at most 500 characters, no control characters', () => {
    const fb = (text: string) => batch([row()], { feedback: [{ day: '2026-11-02', pack: 'demo', rule: 'demo/a.tooltips#b', kind: 'wrong', text }] });
    expect(paths(fb('x'.repeat(500)))).toEqual([]);
    expect(paths(fb('x'.repeat(501)))).toEqual(['feedback.0.text']);
    expect(paths(fb(''))).toEqual(['feedback.0.text']);
    expect(paths(fb('bell\u0007'))).toEqual(['feedback.0.text']);
    // A batch of comments only is fine.
    expect(paths({ ...fb('ok'), rows: [] })).toEqual([]);
  });

  it('every signal type has a valid row shape', () => {
    for (const type of SIGNAL_TYPES) {
      const r = row({
        type,
        ...(type === 'help-opened' ? {} : { rule: 'demo/a.tooltips#b' }),
        ...(type === 'feedback' ? { detail: 'helpful' } : {}),
        ...(type === 'form-dwell' ? { durations: { 'under-30s': 1 } } : {}),
      });
      expect(aggregateRowSchema.safeParse(r).success, type).toBe(true);
    }
  });

  it('periods: whole days, ISO weeks and months', () => {
    expect(parsePeriod('2026-11')).toEqual({ granularity: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(parsePeriod('2026-02')).toEqual({ granularity: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(parsePeriod('2028-02')?.to).toBe('2028-02-29');
    expect(parsePeriod('2026-W01')).toEqual({ granularity: 'week', from: '2025-12-29', to: '2026-01-04' });
    expect(parsePeriod('2026-W53')).toEqual({ granularity: 'week', from: '2026-12-28', to: '2027-01-03' });
    expect(parsePeriod('2025-W53')).toBeUndefined();
    expect(parsePeriod('2026-W00')).toBeUndefined();
    expect(parsePeriod('2026-11-02')).toEqual({ granularity: 'day', from: '2026-11-02', to: '2026-11-02' });
    for (const bad of ['2026-13', '2026-11-31', '2026', 'last-week', '2026-11-01/2026-11-30']) expect(parsePeriod(bad), bad).toBeUndefined();
    expect(periodOf('2026-11-28', 'week')).toBe('2026-W48');
    expect(periodOf('2027-01-01', 'week')).toBe('2026-W53');
    expect(periodOf('2026-11-28', 'month')).toBe('2026-11');
  });

  it('property: every day lies in exactly the period periodOf names, and periods of one granularity tile the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), fc.constantFrom(...PERIOD_GRANULARITIES), (t, g) => {
        const day = new Date(t).toISOString().slice(0, 10);
        const p = parsePeriod(periodOf(day, g))!;
        expect(p.granularity).toBe(g);
        expect(p.from <= day && day <= p.to).toBe(true);
        // The next period starts the day after this one ends.
        const next = new Date(Date.parse(p.to) + 86_400_000).toISOString().slice(0, 10);
        expect(parsePeriod(periodOf(next, g))!.from).toBe(next);
      }),
      { numRuns: 500 },
    );
  });

  it('insights query: pack, period, format; nothing else', () => {
    expect(insightsQuerySchema.safeParse({ pack: 'demo', period: '2026-11' }).success).toBe(true);
    expect(insightsQuerySchema.safeParse({ pack: 'demo', period: '2026-11', format: 'csv' }).success).toBe(true);
    expect(insightsQuerySchema.safeParse({ pack: 'demo', period: '2026-11-01..2026-11-30' }).success).toBe(false);
    expect(insightsQuerySchema.safeParse({ pack: 'demo', period: '2026-11', user: 'x' }).success).toBe(false);
  });
});
