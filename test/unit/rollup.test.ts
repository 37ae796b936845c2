import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { addSignals, listRollups, openCoachDb, pruneSignals, wipeAll, type StoredSignal } from '../../lib/store/database';
import { rollUp, toAggregateRow } from '../../lib/store/rollup';
import { aggregateRowSchema } from '../../lib/sync/payload';
import { DWELL_BUCKETS } from '../../lib/signals/detectors/detection';
import { storedSignal } from '../support/stored-signal';

const signal = storedSignal;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('rollUp', () => {
  it('counts one per signal, splits form-dwell by bucket, keeps feedback kinds and drops burst sizes', () => {
    const rows = [
      ...rollUp([
        signal(),
        signal(),
        signal({ type: 'rage-click', rule: undefined, count: 7 }),
        signal({ type: 'form-dwell', rule: undefined, detail: '2m-5m' }),
        signal({ type: 'form-dwell', rule: undefined, detail: 'over-15m' }),
        signal({ type: 'form-dwell', rule: undefined, detail: '2m-5m' }),
        signal({ type: 'feedback', detail: 'wrong' }),
        signal({ type: 'feedback', detail: 'helpful' }),
        signal({ type: 'back-and-forth', rule: undefined, peer: 'acme/list' }),
        signal({ type: 'help-opened', rule: undefined }),
      ]).values(),
    ].map(toAggregateRow);
    for (const row of rows) expect(aggregateRowSchema.safeParse(row).success, JSON.stringify(row)).toBe(true);
    const by = (type: string) => rows.filter((r) => r.type === type);
    expect(by('tip-shown')).toEqual([expect.objectContaining({ count: 2 })]);
    expect(by('rage-click')).toEqual([expect.objectContaining({ count: 1 })]);
    expect(by('form-dwell')).toEqual([expect.objectContaining({ count: 3, durations: { '2m-5m': 2, 'over-15m': 1 } })]);
    expect(by('feedback').map((r) => [r.detail, r.count]).sort()).toEqual([['helpful', 1], ['wrong', 1]]);
    expect(by('back-and-forth')).toEqual([expect.objectContaining({ peer: 'acme/list', count: 1 })]);
  });

  it('every rollup of any valid signals is a valid upload row whose counts add up', () => {
    const arbSignal = fc.record({
      type: fc.constantFrom('tip-shown', 'rage-click', 'form-dwell', 'feedback', 'dead-click' as const),
      day: fc.constantFrom('2026-11-27', '2026-11-28'),
      screen: fc.constantFrom('acme/a', 'acme/b'),
      bucket: fc.constantFrom(...DWELL_BUCKETS),
      kind: fc.constantFrom('helpful', 'wrong' as const),
    });
    fc.assert(
      fc.property(fc.array(arbSignal, { maxLength: 60 }), (drawn) => {
        const signals = drawn.map(({ type, day, screen, bucket, kind }) =>
          signal({
            type,
            day,
            screen,
            rule: type === 'tip-shown' || type === 'feedback' ? 'acme/a.tips#x' : undefined,
            detail: type === 'form-dwell' ? bucket : type === 'feedback' ? kind : undefined,
          }),
        );
        const rows = [...rollUp(signals).values()].map(toAggregateRow);
        for (const row of rows) expect(aggregateRowSchema.safeParse(row).success).toBe(true);
        expect(rows.reduce((n, r) => n + r.count, 0)).toBe(signals.length);
      }),
    );
  });
});

describe('rollups in the database', () => {
  it('are updated in the same write as the signals, and a retried signal is not counted twice', async () => {
    const db = await openCoachDb();
    await addSignals(db, [signal({ uid: 'u-00000000000001' }), signal({ uid: 'u-00000000000002' })]);
    await addSignals(db, [signal({ uid: 'u-00000000000002' }), signal({ day: '2026-11-27' })]);
    expect((await listRollups(db)).map((r) => [r.day, r.count])).toEqual([
      ['2026-11-27', 1],
      ['2026-11-28', 2],
    ]);
    expect(await listRollups(db, { from: '2026-11-28', to: '2026-11-28' })).toHaveLength(1);
  });

  it('outlive the raw signals they came from, until their own horizon', async () => {
    const db = await openCoachDb();
    await addSignals(db, [signal({ day: '2025-01-01' }), signal({ day: '2026-10-01' }), signal()]);
    const pruned = await pruneSignals(db, { maxRows: 10, oldestDay: '2026-11-01', oldestRollupDay: '2025-06-01' });
    expect(pruned).toEqual({ age: 2, count: 0, rollups: 1 });
    expect((await listRollups(db)).map((r) => r.day)).toEqual(['2026-10-01', '2026-11-28']);
    await wipeAll(db);
    expect(await listRollups(db)).toEqual([]);
  });
});
