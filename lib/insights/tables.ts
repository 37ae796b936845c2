/**
 * Rows → published tables: the ONE implementation shared by the collector (collector/storage.ts
 * folds each upload with `rollup`, collector/insights.ts publishes with `tableFromCube`) and the
 * extension's insights page (lib/insights/local.ts folds this browser's daily rollups the same way).
 *
 *   AggregateRow[] of one contributor-day ──rollup──▶ RollupEntry (table, day, axis, row, col, value)
 *        (one upload batch; locally: one day of this browser's rollups)
 *   per-day entries + contributors per day ──tableFromCube──▶ suppress() ──▶ publish()
 *
 * Each table is one question over its own signal types. `targets` reads the same friction signals
 * as `friction` (those that name a rule, by rule instead of by screen), so it does NOT count them:
 * its cells are contributor-days affected (a contributor-day adds at most 1 to a cell, however
 * many signals it had there). Counting signals in both would make a screen's friction cell the
 * sum of its rules' target cells plus the unnamed rest, an equation across two separately
 * suppressed tables from which a suppressed cell could be worked out; presence counts are not
 * linked to signal counts by any equation. (Within `targets`, lines are still sums of cells,
 * and suppress() protects them as in every table.)
 *
 * `stages` counts contributor-days: row <stage id> = days a contributor had that stage's checklist
 * complete (stage-complete is stored at most once per day per stage), row ACTIVE_ROW = contributor-
 * days with any data for the pack. Share = stage row / active row.
 */
import { publish, suppress, type PublishedTable } from '../privacy/suppression';
import type { SignalType } from '../messages';
import { FRICTION_SIGNAL_TYPES } from '../signals/detectors/index';
import { INSIGHT_KINDS, type AggregateRow, type InsightKind } from '../sync/payload';

export type TableKind = Exclude<InsightKind, 'comments'>;
export const TABLE_KINDS = INSIGHT_KINDS.filter((k): k is TableKind => k !== 'comments');

/** The stages table's row of contributor-days with any data for the pack. */
export const ACTIVE_ROW = '(active)';
export const STAGE_COL = 'contributor-days';

interface TableDefinition {
  types: readonly SignalType[];
  /** The row of an aggregate row (undefined: not in this table). */
  row: (r: AggregateRow) => string | undefined;
  /** Columns and the part of the row's count in each (form-dwell: one per dwell bucket). */
  cols: (r: AggregateRow) => [col: string, value: number][];
  /** Cells count contributor-days (presence), not signals: at most 1 per contributor-day. */
  presence?: true;
}

const byType = (r: AggregateRow): [string, number][] => [[r.type, r.count]];
const frictionCols = (r: AggregateRow): [string, number][] =>
  r.durations ? Object.entries(r.durations).filter(([, n]) => (n ?? 0) > 0).map(([b, n]) => [`form-dwell/${b}`, n!]) : byType(r);

/** What each published table is made of. */
export const TABLES: Record<TableKind, TableDefinition> = {
  friction: { types: FRICTION_SIGNAL_TYPES, row: (r) => r.screen, cols: frictionCols },
  targets: { types: FRICTION_SIGNAL_TYPES, row: (r) => r.rule, cols: frictionCols, presence: true },
  walkthroughs: {
    types: ['walkthrough-started', 'walkthrough-step', 'walkthrough-completed', 'walkthrough-abandoned'],
    row: (r) => r.rule ?? '',
    cols: byType,
  },
  tips: { types: ['tip-shown', 'tip-dismissed', 'tip-used'], row: (r) => r.rule ?? '', cols: byType },
  feedback: { types: ['feedback'], row: (r) => r.rule ?? '', cols: (r) => [[r.detail ?? '', r.count]] },
  // help-opened per screen; rule-missing per rule (which rule a CRM update broke).
  health: { types: ['help-opened', 'rule-missing'], row: (r) => (r.type === 'rule-missing' ? r.rule ?? r.screen : r.screen), cols: byType },
  stages: { types: ['stage-complete'], row: (r) => r.rule ?? '', cols: () => [[STAGE_COL, 1]] },
};

/** What the rows and columns of each table are. */
export const DIMENSIONS: Record<TableKind, { rowDimension: 'screen' | 'step' | 'rule' | 'stage'; colDimension: 'type' | 'kind' | 'measure' }> = {
  friction: { rowDimension: 'screen', colDimension: 'type' },
  targets: { rowDimension: 'rule', colDimension: 'type' },
  walkthroughs: { rowDimension: 'step', colDimension: 'type' },
  tips: { rowDimension: 'rule', colDimension: 'type' },
  feedback: { rowDimension: 'rule', colDimension: 'kind' },
  health: { rowDimension: 'rule', colDimension: 'type' },
  stages: { rowDimension: 'stage', colDimension: 'measure' },
};

const TABLES_OF = new Map<string, TableKind[]>();
for (const [kind, t] of Object.entries(TABLES) as [TableKind, TableDefinition][]) {
  for (const type of t.types) TABLES_OF.set(type, [...(TABLES_OF.get(type) ?? []), kind]);
}

/** The tables a signal type feeds (none for types no table reads). */
export const tablesOf = (type: string): readonly TableKind[] => TABLES_OF.get(type) ?? [];

export type Axis = 'cell' | 'row' | 'col' | 'total';

/** One per-day total a contributor-day adds to: its value, and one more contributor. */
export interface RollupEntry {
  pack: string;
  table: TableKind;
  day: string;
  axis: Axis;
  row: string;
  col: string;
  value: number;
}

/**
 * One contributor-day's rows as increments of per-day totals: each cell, row, column and table
 * they touch, once, with the sum of its counts there (and the stages table's ACTIVE_ROW once per
 * pack). Sorted by key, so that concurrent transactions (PostgreSQL) always lock rows in the same
 * order and cannot deadlock.
 */
export function rollup(batch: { rows: readonly AggregateRow[] }): RollupEntry[] {
  const out = new Map<string, RollupEntry>();
  const add = (e: Omit<RollupEntry, 'value'>, value: number) => {
    const key = JSON.stringify([e.pack, e.table, e.day, e.axis, e.row, e.col]);
    const existing = out.get(key);
    if (existing) existing.value += value;
    else out.set(key, { ...e, value });
  };
  const present = new Set<string>();
  const addCell = (base: { pack: string; table: TableKind; day: string }, row: string, col: string, value: number) => {
    if (TABLES[base.table].presence) {
      // A contributor-day counts once per cell of a presence table (see the header).
      const id = JSON.stringify([base.pack, base.table, row, col]);
      if (present.has(id)) return;
      present.add(id);
      value = 1;
    }
    add({ ...base, axis: 'cell', row, col }, value);
    add({ ...base, axis: 'row', row, col: '' }, value);
    add({ ...base, axis: 'col', row: '', col }, value);
    add({ ...base, axis: 'total', row: '', col: '' }, value);
  };
  // Stages count contributor-days: per pack, the day and the stages complete that day (a set).
  const stages = new Map<string, { day: string; complete: Set<string> }>();
  for (const r of batch.rows) {
    const pack = stages.get(r.pack) ?? { day: r.day, complete: new Set<string>() };
    stages.set(r.pack, pack);
    for (const table of TABLES_OF.get(r.type) ?? []) {
      const def = TABLES[table];
      const row = def.row(r);
      if (row === undefined) continue;
      if (table === 'stages') pack.complete.add(row);
      else for (const [col, value] of def.cols(r)) addCell({ pack: r.pack, table, day: r.day }, row, col, value);
    }
  }
  for (const [pack, { day, complete }] of stages) {
    for (const row of [ACTIVE_ROW, ...complete]) addCell({ pack, table: 'stages', day }, row, STAGE_COL, 1);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

/**
 * Sums and distinct contributors PER DAY for each cell, row, column and the whole table (the
 * collector's `daily` rows; locally: one contributor per day of this browser).
 */
export interface CubeResult {
  cells: { row: string; col: string; day: string; value: number; contributors: number }[];
  rows: { key: string; day: string; contributors: number }[];
  cols: { key: string; day: string; contributors: number }[];
  total: { day: string; contributors: number }[];
}

/**
 * How a period's contributors are counted from per-day counts:
 *   busiest-day       the collector: ids rotate daily and cannot be linked, so the largest number
 *                     of distinct contributors on any one day (certainly that many installs)
 *   contributor-days  this browser: each day is one contributor-day (the same unit the collector
 *                     counts per day), summed over the period: 3 days of data = 3, all suppressed
 */
export type PeriodMeasure = 'busiest-day' | 'contributor-days';

/** Per-day rows → a suppressed, publishable table. */
export function tableFromCube(cube: CubeResult, k: number, measure: PeriodMeasure = 'busiest-day'): PublishedTable {
  const combine = measure === 'busiest-day' ? Math.max : (a: number, b: number) => a + b;
  const cells = new Map<string, { row: string; col: string; value: number; contributors: number }>();
  for (const c of cube.cells) {
    const id = c.row + '\u0000' + c.col;
    const cell = cells.get(id);
    if (cell) {
      cell.value += c.value;
      cell.contributors = combine(cell.contributors, c.contributors);
    } else cells.set(id, { row: c.row, col: c.col, value: c.value, contributors: c.contributors });
  }
  const lines = (list: { key: string; contributors: number }[]) => {
    const out = new Map<string, number>();
    for (const x of list) out.set(x.key, combine(out.get(x.key) ?? 0, x.contributors));
    return [...out].map(([key, contributors]) => ({ key, contributors }));
  };
  const table = suppress(
    {
      cells: [...cells.values()],
      rowTotals: lines(cube.rows),
      colTotals: lines(cube.cols),
      total: { contributors: cube.total.reduce((a, t) => combine(a, t.contributors), 0) },
    },
    { k },
  );
  return publish(table);
}
