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
 * The fold is rollup()'s (lib/insights/tables.ts: the same TABLES, the same stages rule, one
 * contributor per cell per day), written as direct accumulation: rollup() builds a JSON key per
 * entry and sorts them (the collector needs a lock order), which is most of the time at a year's
 * scale. A property test checks it against rollup() (test/unit/insights-speed.test.ts).
 *
 * A finished period's rollups stop changing, except for late signals (a CRM tab's outbox
 * retrying across midnight). Finished periods' cubes are cached for the life of the service
 * worker, and kept right with a change token that costs two key lookups per query (counting a
 * period's rows costs as much as reading them):
 *   last signal id   rollups change only with signals (addSignals, one transaction): a higher id
 *                    means new signals; their days are read (only those signals) and the cached
 *                    periods holding any of those days are dropped
 *   first rollup key wipe, pruning of the oldest day, anything that removed rows: drop all
 */
import type { AggregateRow, PeriodGranularity } from '../sync/payload';
import { parsePeriod, periodOf } from '../sync/payload';
import { ACTIVE_ROW, STAGE_COL, TABLE_KINDS, TABLES, tablesOf, type CubeResult, type TableKind } from './tables';

/** Days after a period's last day before it counts as finished (late signals). */
export const LATE_DAYS = 2;
const DAY_MS = 86_400_000;

export type PeriodCube = Record<TableKind, CubeResult>;

const emptyCube = (): CubeResult => ({ cells: [], rows: [], cols: [], total: [] });
const emptyPeriodCube = (): PeriodCube => Object.fromEntries(TABLE_KINDS.map((k) => [k, emptyCube()])) as PeriodCube;

type CellAcc = { row: string; col: string; day: string; value: number; contributors: number; seen: string };
type LineAcc = { key: string; day: string; contributors: number; seen: string };
interface Acc {
  cells: Map<string, CellAcc>;
  rows: Map<string, LineAcc>;
  cols: Map<string, LineAcc>;
  total: LineAcc | null;
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
  const firstDays = new Map<string, string>();
  for (const [day, rows] of byDay) {
    const period = periodOf(day, granularity);
    let acc = accs.get(period);
    if (!acc) {
      acc = Object.fromEntries(TABLE_KINDS.map((k) => [k, { cells: new Map(), rows: new Map(), cols: new Map(), total: null }])) as Record<TableKind, Acc>;
      accs.set(period, acc);
      firstDays.set(period, parsePeriod(period)!.from);
    }
    const first = firstDays.get(period)!;
    // One contributor-day: each cell/line counts the day once (`seen`), its values all add up.
    const line = (map: Map<string, LineAcc>, key: string) => {
      const x = map.get(key);
      if (!x) map.set(key, { key, day: first, contributors: 1, seen: day });
      else if (x.seen !== day) {
        x.contributors += 1;
        x.seen = day;
      }
    };
    const add = (t: Acc, row: string, col: string, value: number, presence = false) => {
      const id = row + '\u0000' + col;
      const c = t.cells.get(id);
      // Presence tables (targets): a contributor-day adds 1 to a cell, once (lib/insights/tables.ts).
      if (presence) value = c?.seen === day ? 0 : 1;
      if (!c) t.cells.set(id, { row, col, day: first, value, contributors: 1, seen: day });
      else {
        c.value += value;
        if (c.seen !== day) {
          c.contributors += 1;
          c.seen = day;
        }
      }
      line(t.rows, row);
      line(t.cols, col);
      if (!t.total) t.total = { key: '', day: first, contributors: 1, seen: day };
      else if (t.total.seen !== day) {
        t.total.contributors += 1;
        t.total.seen = day;
      }
    };
    // Stages count contributor-days: the day is active for the pack, plus the stages complete that day.
    const complete = new Set<string>();
    for (const r of rows) {
      for (const table of tablesOf(r.type)) {
        const def = TABLES[table];
        const row = def.row(r);
        if (row === undefined) continue;
        if (table === 'stages') complete.add(row);
        else for (const [col, value] of def.cols(r)) add(acc[table], row, col, value, def.presence === true);
      }
    }
    for (const row of [ACTIVE_ROW, ...complete]) add(acc.stages, row, STAGE_COL, 1);
  }
  const out = new Map<string, PeriodCube>();
  for (const p of periods) out.set(p, emptyPeriodCube());
  const lines = (m: Map<string, LineAcc>) => [...m.values()].map(({ key, day, contributors }) => ({ key, day, contributors }));
  for (const [period, acc] of accs) {
    out.set(
      period,
      Object.fromEntries(
        TABLE_KINDS.map((k) => {
          const t = acc[k];
          return [
            k,
            {
              cells: [...t.cells.values()].map(({ row, col, day, value, contributors }) => ({ row, col, day, value, contributors })),
              rows: lines(t.rows),
              cols: lines(t.cols),
              total: t.total ? [{ day: t.total.day, contributors: t.total.contributors }] : [],
            },
          ];
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

/** What tells the cache whether the rollups changed (lib/insights/read-rollups.ts changeToken). */
export interface ChangeToken {
  /** The highest signal id (auto-increment: grows with every stored signal, even after a wipe). */
  lastSignal?: number;
  /** The lowest rollup key (its day first): changes when old rows are pruned or everything wiped. */
  firstRollup?: string;
}

/** Does a period (its first and last day) hold any of these days? */
export const holdsAnyDay = (range: { from: string; to: string }, days: readonly string[]): boolean => days.some((d) => d >= range.from && d <= range.to);

export type TokenCheck = { action: 'keep' } | { action: 'clear' } | { action: 'days-after'; id: number };

/**
 * What a cache right for `had` must do to be right for `token`: nothing, drop everything, or
 * drop the periods holding the days of the signals stored after a given id.
 */
export function checkToken(had: ChangeToken | undefined, token: ChangeToken): TokenCheck {
  if (!had || had.firstRollup !== token.firstRollup) return { action: 'clear' };
  if (had.lastSignal === token.lastSignal) return { action: 'keep' };
  if (token.lastSignal === undefined || (had.lastSignal !== undefined && token.lastSignal < had.lastSignal)) return { action: 'clear' };
  return { action: 'days-after', id: had.lastSignal ?? 0 };
}

/**
 * Finished periods' cubes, by pack and period, for the life of one handler (one service worker).
 * `check` says what to do about a new change token: nothing, drop everything, or read the days of
 * the signals after a given id and `dropDays` them.
 */
export class PeriodCubeCache {
  private readonly entries = new Map<string, { from: string; to: string; cube: PeriodCube }>();
  private token: ChangeToken | undefined;
  constructor(private readonly max = 256) {}

  check(token: ChangeToken): TokenCheck {
    return checkToken(this.token, token);
  }

  /** The token the cache is now right for (read BEFORE the rollups that filled it). */
  accept(token: ChangeToken): void {
    this.token = token;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drop the periods that hold any of these days (their rollups changed). */
  dropDays(days: Iterable<string>): void {
    const list = [...days];
    for (const [key, e] of this.entries) if (holdsAnyDay(e, list)) this.entries.delete(key);
  }

  get(pack: string, period: string): PeriodCube | undefined {
    const key = `${pack}\u0000${period}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.cube;
  }

  set(pack: string, period: string, cube: PeriodCube): void {
    const range = parsePeriod(period);
    if (!range) return;
    const key = `${pack}\u0000${period}`;
    this.entries.delete(key);
    this.entries.set(key, { from: range.from, to: range.to, cube });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
