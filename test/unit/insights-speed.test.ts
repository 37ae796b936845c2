import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { consecutivePeriods, localInsights } from '../../lib/insights/local';
import { createInsightsHandler } from '../../lib/insights/handle-insights';
import { isFinished, PeriodCubeCache } from '../../lib/insights/period-cubes';
import { rollup, tableFromCube, TABLE_KINDS, type CubeResult, type TableKind } from '../../lib/insights/tables';
import { addSignals, getPeriodCubes, listRollups, openCoachDb, wipeAll, type CoachDatabase } from '../../lib/store/database';
import { parsePeriod, rowKey, type AggregateRow } from '../../lib/sync/payload';
import type { CompiledPack } from '../../lib/rules/compiled';
import type { ReadPolicy } from '../../lib/policy/policy';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const day = (i: number) => new Date(Date.UTC(2026, 8, 1) + i * 86_400_000).toISOString().slice(0, 10);
const PACKS = [
  { id: 'demo', crm: 'demo' },
  { id: 'demo-2', crm: 'demo' },
  { id: 'sales', crm: 'webcrm' },
];

/** A random but valid rollup row (types with the fields they require). */
const rowArb = fc
  .record({
    d: fc.integer({ min: 0, max: 90 }),
    p: fc.integer({ min: 0, max: 2 }),
    s: fc.integer({ min: 0, max: 3 }),
    r: fc.integer({ min: 0, max: 3 }),
    t: fc.constantFrom('rage-click', 'dead-click', 'form-dwell', 'tip-shown', 'tip-used', 'feedback', 'rule-missing', 'help-opened', 'walkthrough-step', 'stage-complete'),
    count: fc.integer({ min: 1, max: 9 }),
    named: fc.boolean(),
  })
  .map(({ d, p, s, r, t, count, named }): AggregateRow => {
    const pack = PACKS[p]!;
    const base = { day: day(d), crm: pack.crm, pack: pack.id, packVersion: '1.0.0', screen: `${pack.id}/s${s}`, type: t, count } as AggregateRow;
    const rule = `${pack.id}/s${s}.tips#t${r}`;
    if (t === 'form-dwell') return { ...base, durations: { '30s-2m': count } } as AggregateRow;
    if (t === 'rage-click' || t === 'dead-click') return (named ? { ...base, rule } : base) as AggregateRow;
    if (t === 'feedback') return { ...base, rule, detail: 'helpful' } as AggregateRow;
    if (t === 'help-opened') return base;
    return { ...base, rule } as AggregateRow;
  });

/** Distinct keys, as the store holds them (same key: counts merged). */
function dedupe(rows: AggregateRow[]): AggregateRow[] {
  const m = new Map<string, AggregateRow>();
  for (const r of rows) {
    const have = m.get(rowKey(r));
    m.set(rowKey(r), have ? { ...have, count: have.count + r.count, ...(have.durations && { durations: { '30s-2m': have.count + r.count } }) } : r);
  }
  return [...m.values()];
}

/** The reference: the per-day fold the page used before (every day's entries, sliced per period). */
function reference(rows: readonly AggregateRow[], q: { pack: string; period: string; trend: number; k: number }) {
  const cube: Record<TableKind, CubeResult> = Object.fromEntries(TABLE_KINDS.map((k) => [k, { cells: [], rows: [], cols: [], total: [] }])) as never;
  const byDay = new Map<string, AggregateRow[]>();
  for (const r of rows) if (r.pack === q.pack) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  for (const list of byDay.values()) {
    for (const e of rollup({ rows: list })) {
      const c = cube[e.table];
      if (e.axis === 'cell') c.cells.push({ row: e.row, col: e.col, day: e.day, value: e.value, contributors: 1 });
      else if (e.axis === 'row') c.rows.push({ key: e.row, day: e.day, contributors: 1 });
      else if (e.axis === 'col') c.cols.push({ key: e.col, day: e.day, contributors: 1 });
      else c.total.push({ day: e.day, contributors: 1 });
    }
  }
  const slice = (c: CubeResult, from: string, to: string): CubeResult => {
    const f = <T extends { day: string }>(l: T[]) => l.filter((x) => x.day >= from && x.day <= to);
    return { cells: f(c.cells), rows: f(c.rows), cols: f(c.cols), total: f(c.total) };
  };
  const range = parsePeriod(q.period)!;
  return {
    tables: Object.fromEntries(TABLE_KINDS.map((k) => [k, tableFromCube(slice(cube[k], range.from, range.to), q.k, 'contributor-days')])),
    trend: consecutivePeriods(q.period, q.trend).map((p) => {
      const r = parsePeriod(p)!;
      return tableFromCube(slice(cube.friction, r.from, r.to), q.k, 'contributor-days');
    }),
  };
}

const sortTable = (t: { cells: { row: string; col: string }[] }) => ({ ...t, cells: [...t.cells].sort((a, b) => (a.row + a.col < b.row + b.col ? -1 : 1)) });

describe('per-period cubes (issue 8, speed) give exactly the per-day fold', () => {
  it('property: same published tables and trend for any rows, pack, granularity and k', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 400 }),
        fc.constantFrom('2026-10', '2026-11', '2026-W42', '2026-W45'),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 5, max: 7 }),
        fc.constantFrom('demo', 'sales'),
        (raw, period, trend, k, pack) => {
          const rows = dedupe(raw);
          const got = localInsights(rows, { pack, period, trend, k });
          const want = reference(rows, { pack, period, trend, k });
          for (const kind of TABLE_KINDS) expect(sortTable(got.tables[kind]!)).toEqual(sortTable(want.tables[kind] as never));
          expect(got.trend.map((t) => sortTable(t.table))).toEqual(want.trend.map(sortTable as never));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a period is finished LATE_DAYS after its last day; the cache follows its change token', () => {
    expect(isFinished('2026-10', '2026-11-01')).toBe(false);
    expect(isFinished('2026-10', '2026-11-02')).toBe(true);
    const cache = new PeriodCubeCache(2);
    const cube = {} as never;
    expect(cache.check({ lastSignal: 4, firstRollup: 'a' })).toEqual({ action: 'clear' });
    cache.accept({ lastSignal: 4, firstRollup: 'a' });
    cache.set('demo', '2026-10', cube);
    cache.set('demo', '2026-W40', cube);
    expect(cache.get('demo', '2026-10')).toBe(cube);
    expect(cache.check({ lastSignal: 4, firstRollup: 'a' })).toEqual({ action: 'keep' });
    expect(cache.check({ lastSignal: 9, firstRollup: 'a' })).toEqual({ action: 'days-after', id: 4 });
    expect(cache.check({ lastSignal: 9, firstRollup: 'b' })).toEqual({ action: 'clear' });
    expect(cache.check({ firstRollup: 'a' })).toEqual({ action: 'clear' });
    cache.dropDays(['2026-10-31']);
    expect(cache.get('demo', '2026-10')).toBeUndefined();
    expect(cache.get('demo', '2026-W40')).toBe(cube);
    for (const p of ['2026-01', '2026-02', '2026-03']) cache.set('demo', p, cube);
    expect(cache.size).toBe(2);
  });
});

describe('the insights handler reads only what it needs', () => {
  const pack = (id: string, crm: string) => ({ id, crm }) as unknown as CompiledPack;
  const policy = async () => ({ policy: {} }) as unknown as ReadPolicy;

  async function seeded(rows: AggregateRow[]): Promise<CoachDatabase> {
    const db = await openCoachDb();
    const tx = db.transaction('rollups', 'readwrite');
    for (const r of rows) await tx.store.put({ key: rowKey(r), ...r });
    await tx.done;
    return db;
  }

  it('answers exactly like localInsights over every rollup, for each pack; cached finished periods; late rows seen', async () => {
    const rows = dedupe(fc.sample(rowArb, { numRuns: 600, seed: 8 }));
    const db = await seeded(rows);
    const handle = createInsightsHandler({ db: (op) => op(db), packs: async () => PACKS.map((p) => pack(p.id, p.crm)), policy, today: () => '2026-12-10' });
    for (const p of ['demo', 'demo-2', 'sales']) {
      for (const [period, trend] of [['2026-11', 3], ['2026-W40', 6]] as const) {
        const got = await handle({ type: 'insights:local', pack: p, period, trend });
        expect(got).toEqual(localInsights(rows, { pack: p, period, trend, k: 5 }));
      }
    }
    // A late signal for a day of a finished, cached period (the real writer: signals + rollups).
    const before = await handle({ type: 'insights:local', pack: 'demo', period: '2026-11', trend: 3 });
    const late = { type: 'rage-click', day: day(70), crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/s9', extensionVersion: '0.1.0' } as const;
    await addSignals(db, Array.from({ length: 7 }, () => ({ ...late })));
    const stored = await listRollups(db);
    const after = await handle({ type: 'insights:local', pack: 'demo', period: '2026-11', trend: 3 });
    expect(after).toEqual(localInsights(stored, { pack: 'demo', period: '2026-11', trend: 3, k: 5 }));
    expect(after).not.toEqual(before);
    // Wiped, then new signals today: nothing of the old periods is served.
    await wipeAll(db);
    await addSignals(db, [{ ...late, day: '2026-12-10' }]);
    expect(await handle({ type: 'insights:local', pack: 'demo', period: '2026-11', trend: 3 })).toEqual(localInsights([], { pack: 'demo', period: '2026-11', trend: 3, k: 5 }));
  });

  it('an unfinished period is never served from the cache', async () => {
    const base = { crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/s0', type: 'rage-click' } as const;
    const rows = Array.from({ length: 10 }, (_, i) => ({ ...base, day: day(61 + i), count: 1 }) as AggregateRow);
    const db = await seeded(rows);
    const handle = createInsightsHandler({ db: (op) => op(db), packs: async () => [pack('demo', 'demo')], policy, today: () => day(71) });
    const period = day(61).slice(0, 7);
    const cell = async () => ((await handle({ type: 'insights:local', pack: 'demo', period, trend: 1 })) as ReturnType<typeof localInsights>).tables.friction!.cells[0]!.value;
    expect(await cell()).toBe(10);
    // Same key, bigger count (no new row): only a fresh read can see it.
    await db.put('rollups', { key: rowKey(rows[0]!), ...rows[0]!, count: 5 });
    expect(await cell()).toBe(14);
  });

  it('a cold worker answers finished periods from the stored cubes, and late signals still show', async () => {
    const rows = dedupe(fc.sample(rowArb, { numRuns: 400, seed: 11 }));
    const db = await seeded(rows);
    const packs = async () => PACKS.map((p) => pack(p.id, p.crm));
    const query = { type: 'insights:local', pack: 'demo', period: '2026-11', trend: 3 } as const;
    const first = await createInsightsHandler({ db: (op) => op(db), packs, policy, today: () => '2026-12-10' })(query);
    expect((await getPeriodCubes(db, 'demo', ['2026-09', '2026-10', '2026-11'])).size).toBe(3);

    // A new handler (a restarted worker) with the rollups out of reach answers from the stored cubes.
    let rollupReads = 0;
    const counting = (op: (d: CoachDatabase) => Promise<unknown>) =>
      op(
        new Proxy(db, {
          get(target, key, receiver) {
            if (key === 'transaction') {
              return (stores: string | string[], mode?: IDBTransactionMode) => {
                if (mode !== 'readwrite' && [stores].flat().length === 1 && [stores].flat()[0] === 'rollups') rollupReads += 1;
                return target.transaction(stores as never, mode);
              };
            }
            const value = Reflect.get(target, key, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      );
    const cold = createInsightsHandler({ db: counting as never, packs, policy, today: () => '2026-12-10' });
    expect(await cold(query)).toEqual(first);
    expect(rollupReads, 'no rollups read for stored periods').toBe(0);

    // A late signal in October: the next cold worker drops that period's stored cube and reads it again.
    await addSignals(db, Array.from({ length: 6 }, () => ({ type: 'dead-click', day: '2026-10-05', crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/s1', extensionVersion: '0.1.0' }) as const));
    const again = await createInsightsHandler({ db: (op) => op(db), packs, policy, today: () => '2026-12-10' })(query);
    expect(again).toEqual(localInsights(await listRollups(db), { ...query, k: 5 }));
    expect(again).not.toEqual(first);
  });
});

