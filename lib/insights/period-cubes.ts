/**
 * This browser's insights, fast: per-PERIOD cubes instead of per-day entries, and a cache of the
 * finished periods' cubes (issue 8, "Speed"; figures in docs/insights.md).
 *
 * Locally each day is one contributor-day, and a period counts contributor-days as a SUM, so a
 * period's cube is additive over its days: for every cell/row/col/total the summed value and the
 * number of days it occurs on. tableFromCube(periodCube, k, 'contributor-days') is therefore exactly
 * tableFromCube(the period's per-day entries, ...) (unit-tested against the per-day fold).
 *
 *   rollups of the days (one pack) ──rollup() per day──▶ entries ──by periodOf(day)──▶ PeriodCube
 *        (only the periods not in the cache are read)                     one per table kind
 *
 * A finished period's rollups stop changing, except for late signals (a CRM tab's outbox retrying
 * across midnight): a period is cached only once its last day is LATE_DAYS behind today, and a
 * cached cube is used only while the period still holds as many rollup rows as when it was built
 * (a cheap index count: catches late rows with a new key; a late increment of an existing row is
 * seen when the cache is dropped, at the latest when the service worker stops).
 */
import type { AggregateRow, PeriodGranularity } from '../sync/payload';
import { parsePeriod, periodOf } from '../sync/payload';
import { rollup, TABLE_KINDS, type CubeResult, type TableKind } from './tables';

/** Days after a period's last day before it counts as finished (late signals). */
export const LATE_DAYS = 2;
const DAY_MS = 86_400_000;

export type PeriodCube = Record<TableKind, CubeResult>;

const emptyCube = (): CubeResult => ({ cells: [], rows: [], cols: [], total: [] });
const emptyPeriodCube = (): PeriodCube => Object.fromEntries(TABLE_KINDS.map((k) => [k, emptyCube()])) as PeriodCube;

interface Acc {
  cells: Map<string, { row: string; col: string; day: string; value: number; contributors: number }>;
  rows: Map<string, { key: string; day: string; contributors: number }>;
  cols: Map<string, { key: string; day: string; contributors: number }>;
  total: { day: string; contributors: number } | null;
}

/**
 * One cube per period (of `granularity`) for one pack, from rollups of any days: each entry's
 * `day` is the period's first day and `contributors` the number of contributor-days it occurs on.
 * Rows of other packs are skipped. Periods with no data get empty cubes if listed in `periods`.
 */
export function periodCubes(rollups: readonly AggregateRow[], pack: string, granularity: PeriodGranularity, periods: readonly string[] = []): Map<string, PeriodCube> {
  const byDay = new Map<string, AggregateRow[]>();
  for (const r of rollups) {
    if (r.pack !== pack) continue;
    const list = byDay.get(r.day);
    if (list) list.push(r);
    else byDay.set(r.day, [r]);
  }
  const accs = new Map<string, Record<TableKind, Acc>>();
  const accOf = (period: string) => {
    let a = accs.get(period);
    if (!a) {
      a = Object.fromEntries(TABLE_KINDS.map((k) => [k, { cells: new Map(), rows: new Map(), cols: new Map(), total: null }])) as Record<TableKind, Acc>;
      accs.set(period, a);
    }
    return a;
  };
  for (const [day, rows] of byDay) {
    const period = periodOf(day, granularity);
    const first = parsePeriod(period)!.from;
    const acc = accOf(period);
    for (const e of rollup({ rows })) {
      const t = acc[e.table];
      if (e.axis === 'cell') {
        const id = e.row + '\u0000' + e.col;
        const c = t.cells.get(id);
        if (c) {
          c.value += e.value;
          c.contributors += 1;
        } else t.cells.set(id, { row: e.row, col: e.col, day: first, value: e.value, contributors: 1 });
      } else if (e.axis === 'row' || e.axis === 'col') {
        const key = e.axis === 'row' ? e.row : e.col;
        const map = e.axis === 'row' ? t.rows : t.cols;
        const x = map.get(key);
        if (x) x.contributors += 1;
        else map.set(key, { key, day: first, contributors: 1 });
      } else if (t.total) t.total.contributors += 1;
      else t.total = { day: first, contributors: 1 };
    }
  }
  const out = new Map<string, PeriodCube>();
  for (const p of periods) out.set(p, emptyPeriodCube());
  for (const [period, acc] of accs) {
    out.set(
      period,
      Object.fromEntries(
        TABLE_KINDS.map((k) => {
          const t = acc[k];
          return [k, { cells: [...t.cells.values()], rows: [...t.rows.values()], cols: [...t.cols.values()], total: t.total ? [t.total] : [] }];
        }),
      ) as PeriodCube,
    );
  }
  return out;
}

/** Is the period finished (its last day at least LATE_DAYS before today)? */
export function isFinished(period: string, today: string): boolean {
  const range = parsePeriod(period);
  return range !== undefined && Date.parse(range.to) + LATE_DAYS * DAY_MS <= Date.parse(today);
}

/**
 * Finished periods' cubes, by pack and period, each with the number of rollup rows its period had
 * when built. In memory (one per handler, i.e. per service-worker life); bounded.
 */
export class PeriodCubeCache {
  private readonly entries = new Map<string, { rows: number; cube: PeriodCube }>();
  constructor(private readonly max = 256) {}

  get(pack: string, period: string, rows: number): PeriodCube | undefined {
    const key = `${pack}\u0000${period}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.rows !== rows) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.cube;
  }

  set(pack: string, period: string, rows: number, cube: PeriodCube): void {
    const key = `${pack}\u0000${period}`;
    this.entries.delete(key);
    this.entries.set(key, { rows, cube });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
