/**
 * The collector's one storage interface; two adapters implement it: sqlite.ts (one file, zero
 * set-up, one machine) and postgres.ts (several collector instances may share one database).
 * test/unit/collector/storage.test.ts runs the same suite against both.
 *
 * A batch is folded into per-day totals when it arrives; no per-contributor row is ever kept.
 *
 *   batches       batch_id (primary key: the dedupe), the day it arrived, rows and comments in it
 *   contributors  each contributor id that brought rows, with its day: an id is accepted for ONE
 *                 batch of rows (the extension sends a day's aggregates once, with a new id each
 *                 day), so that "+1 contributor" below is exact and days cannot be linked
 *   daily         per pack, table (TABLES below), day: for every cell (row × column), every row,
 *                 every column and the whole table, the sum of the counts and how many distinct
 *                 contributors that day added to it. The tables the API serves read only this.
 *   comments      day, pack, rule, kind, text (scrubbed again here): no contributor, no batch id,
 *                 nothing that links a comment to anyone's counts
 *
 * Not kept: crm, pack and extension versions, back-and-forth peers, the rule of a friction
 * signal (friction is published per screen): nothing is stored that nothing publishes.
 *
 * storeBatch is atomic: batch id, contributor, every daily total and every comment in one
 * transaction; a duplicate batch id changes nothing; an error stores nothing.
 */
import type { SignalType } from '../lib/messages';
import { scrubComment } from '../lib/privacy/scrub';
import { FRICTION_SIGNAL_TYPES } from '../lib/signals/detectors/index';
import type { AggregateRow, InsightKind, UploadBatch } from '../lib/sync/payload';

export type TableKind = Exclude<InsightKind, 'comments'>;

export interface StoreResult {
  duplicate: boolean;
  /** Aggregate rows of the batch, as uploaded. */
  rows: number;
}

/** The batch's contributor id already brought a batch of rows. Nothing was stored. */
export class ContributorReusedError extends Error {
  constructor() {
    super('this contributor id was already used: send one batch of rows per day, with a new contributor id every day');
    this.name = 'ContributorReusedError';
  }
}

interface TableDefinition {
  types: readonly SignalType[];
  row: (r: AggregateRow) => string;
  /** Columns and the part of the row's count in each (form-dwell: one per dwell bucket). */
  cols: (r: AggregateRow) => [col: string, value: number][];
}

const byType = (r: AggregateRow): [string, number][] => [[r.type, r.count]];

/** What each published table is made of. The tables' signal types are disjoint and cover all. */
export const TABLES: Record<TableKind, TableDefinition> = {
  friction: {
    types: FRICTION_SIGNAL_TYPES,
    row: (r) => r.screen,
    cols: (r) =>
      r.durations ? Object.entries(r.durations).filter(([, n]) => (n ?? 0) > 0).map(([b, n]) => [`form-dwell/${b}`, n!]) : byType(r),
  },
  walkthroughs: {
    types: ['walkthrough-started', 'walkthrough-step', 'walkthrough-completed', 'walkthrough-abandoned'],
    row: (r) => r.rule ?? '',
    cols: byType,
  },
  tips: { types: ['tip-shown', 'tip-dismissed'], row: (r) => r.rule ?? '', cols: byType },
  feedback: { types: ['feedback'], row: (r) => r.rule ?? '', cols: (r) => [[r.detail ?? '', r.count]] },
  health: { types: ['help-opened', 'rule-missing'], row: (r) => r.screen, cols: byType },
};

const TABLE_OF = new Map<string, TableKind>(
  (Object.entries(TABLES) as [TableKind, TableDefinition][]).flatMap(([kind, t]) => t.types.map((type) => [type, kind] as const)),
);

export type Axis = 'cell' | 'row' | 'col' | 'total';

/** One per-day total a batch adds to: its value, and one more contributor. */
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
 * A batch as increments of per-day totals: each cell, row, column and table it touches, once,
 * with the sum of its counts there. Sorted by key, so that concurrent transactions (PostgreSQL)
 * always lock rows in the same order and cannot deadlock.
 */
export function rollup(batch: UploadBatch): RollupEntry[] {
  const out = new Map<string, RollupEntry>();
  const add = (e: Omit<RollupEntry, 'value'>, value: number) => {
    const key = JSON.stringify([e.pack, e.table, e.day, e.axis, e.row, e.col]);
    const existing = out.get(key);
    if (existing) existing.value += value;
    else out.set(key, { ...e, value });
  };
  for (const r of batch.rows) {
    const table = TABLE_OF.get(r.type);
    if (!table) continue;
    const def = TABLES[table];
    const row = def.row(r);
    for (const [col, value] of def.cols(r)) {
      const base = { pack: r.pack, table, day: r.day };
      add({ ...base, axis: 'cell', row, col }, value);
      add({ ...base, axis: 'row', row, col: '' }, value);
      add({ ...base, axis: 'col', row: '', col }, value);
      add({ ...base, axis: 'total', row: '', col: '' }, value);
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

/** A batch's comments as stored: scrubbed again (the extension scrubs too); empty ones dropped. */
export function storedComments(batch: UploadBatch): [day: string, pack: string, rule: string, kind: string, text: string][] {
  return (batch.feedback ?? [])
    .map((f) => [f.day, f.pack, f.rule, f.kind, scrubComment(f.text)] as [string, string, string, string, string])
    .filter((c) => c[4].length > 0);
}

/** The day of a batch's rows (one day per batch), or undefined for a batch of comments only. */
export const batchDay = (batch: UploadBatch): string | undefined => batch.rows[0]?.day;

export interface CubeQuery {
  pack: string;
  table: TableKind;
  /** Inclusive days, "YYYY-MM-DD". */
  from: string;
  to: string;
}

/**
 * Sums and distinct contributors PER DAY (contributor ids rotate daily, so only per-day counts
 * are counts of people): for each cell, each row, each column and the whole table.
 */
export interface CubeResult {
  cells: { row: string; col: string; day: string; value: number; contributors: number }[];
  rows: { key: string; day: string; contributors: number }[];
  cols: { key: string; day: string; contributors: number }[];
  total: { day: string; contributors: number }[];
}

export interface DailyRow {
  day: unknown;
  axis: unknown;
  row_key: unknown;
  col_key: unknown;
  value: unknown;
  contributors: unknown;
}

export function cubeFromDaily(rows: DailyRow[]): CubeResult {
  const cube: CubeResult = { cells: [], rows: [], cols: [], total: [] };
  for (const r of rows) {
    const day = String(r.day);
    const contributors = Number(r.contributors);
    switch (r.axis) {
      case 'cell':
        cube.cells.push({ row: String(r.row_key), col: String(r.col_key), day, value: Number(r.value), contributors });
        break;
      case 'row':
        cube.rows.push({ key: String(r.row_key), day, contributors });
        break;
      case 'col':
        cube.cols.push({ key: String(r.col_key), day, contributors });
        break;
      default:
        cube.total.push({ day, contributors });
    }
  }
  return cube;
}

export interface StoredComment {
  rule: string;
  kind: string;
  text: string;
}

export interface StorageStats {
  batches: number;
  /** Rows of the daily totals table. */
  dailyRows: number;
  /** Sum of all counts (the cells of every table): equals the sum of the uploaded rows' counts. */
  signals: number;
  comments: number;
  contributors: number;
  /** Bytes on disk (SQLite: file + WAL; PostgreSQL: the schema's tables and indexes). */
  bytes: number;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates the schema if needed (safe when several instances start at once). */
  init(): Promise<void>;
  storeBatch(batch: UploadBatch, receivedDay: string): Promise<StoreResult>;
  cube(query: CubeQuery): Promise<CubeResult>;
  comments(query: { pack: string; from: string; to: string }): Promise<StoredComment[]>;
  stats(): Promise<StorageStats>;
  close(): Promise<void>;
}

/** The SQL both adapters share (`?` placeholders; postgres.ts numbers them). */
export const SQL = {
  cube: 'SELECT day, axis, row_key, col_key, value, contributors FROM daily WHERE pack = ? AND tbl = ? AND day >= ? AND day <= ?',
  comments: 'SELECT rule, kind, text FROM comments WHERE pack = ? AND day >= ? AND day <= ? ORDER BY rule, kind, text',
};
