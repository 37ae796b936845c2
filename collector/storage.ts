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
 *   parts         a day split by the extension after a 413 (UploadBatch.part): its parts' rows,
 *                 held under their shared contributor id until the parts' paths cover the whole
 *                 day; then they are folded in as ONE contributor (exactly as one whole batch
 *                 would have been) and deleted, in the same transaction as the last part
 *
 * Not kept: crm, pack and extension versions, back-and-forth peers: nothing is stored that
 * nothing publishes. (The rule of a friction signal is kept in the `targets` table.)
 *
 * storeBatch is atomic: batch id, contributor, every daily total and every comment in one
 * transaction; a duplicate batch id changes nothing; an error stores nothing.
 */
import { scrubComment } from '../lib/privacy/scrub';
import { PART_WHOLE, partWeight, type UploadBatch } from '../lib/sync/payload';

import type { TableKind } from '../lib/insights/tables';
export type { TableKind };

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

/** A part of a split day that overlaps a part already received, or is of another day. Nothing was stored. */
export class PartConflictError extends ContributorReusedError {
  constructor(reason: string) {
    super();
    this.message = `this part does not fit the parts already received for its contributor: ${reason}`;
    this.name = 'PartConflictError';
  }
}

/**
 * Whether a part fits with the parts of its contributor received so far: same day, no path a
 * prefix of another. 'complete' when the paths then cover the whole day.
 */
export function checkPart(staged: readonly { path: string; day: string }[], path: string, day: string): 'complete' | 'pending' {
  let weight = partWeight(path);
  for (const s of staged) {
    if (s.day !== day) throw new PartConflictError('another day');
    if (s.path.startsWith(path) || path.startsWith(s.path)) throw new PartConflictError(`part "${path}" overlaps part "${s.path}"`);
    weight += partWeight(s.path);
  }
  return weight === PART_WHOLE ? 'complete' : 'pending';
}

// What each table is made of, and how one contributor-day's rows fold into per-day totals: one
// definition for the collector and the extension's insights page.
export { TABLES, rollup, type Axis, type RollupEntry } from '../lib/insights/tables';

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
  /** Parts of split days waiting for their other parts. */
  parts: number;
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
