/**
 * Storage in one SQLite file (node:sqlite, built into Node 22): zero set-up, one machine.
 * WAL journal, synchronous=NORMAL (a power cut may lose the last batches, which the extension
 * then uploads again: dedupe makes that safe), busy timeout for a second process on the file.
 *
 * node:sqlite is synchronous: a batch's transaction runs start to end without yielding, so two
 * uploads in one process can never interleave; BEGIN IMMEDIATE and the batch_id primary key
 * keep it right across processes too. Reading a month is one range scan of the daily totals'
 * primary key (pack, table, day, …): a few thousand rows, however many installs there are.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { UploadBatch } from '../lib/sync/payload';
import {
  ContributorReusedError,
  SQL,
  checkPart,
  batchDay,
  cubeFromDaily,
  rollup,
  storedComments,
  type CubeQuery,
  type CubeResult,
  type DailyRow,
  type Storage,
  type StorageStats,
  type StoreResult,
  type StoredComment,
} from './storage';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  batch_id TEXT PRIMARY KEY,
  received_day TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  comment_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS contributors (
  contributor TEXT PRIMARY KEY,
  day TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily (
  pack TEXT NOT NULL,
  tbl TEXT NOT NULL,
  day TEXT NOT NULL,
  axis TEXT NOT NULL,
  row_key TEXT NOT NULL,
  col_key TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value > 0),
  contributors INTEGER NOT NULL CHECK (contributors > 0),
  PRIMARY KEY (pack, tbl, day, axis, row_key, col_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comments (
  day TEXT NOT NULL,
  pack TEXT NOT NULL,
  rule TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_pack_day ON comments (pack, day);
CREATE TABLE IF NOT EXISTS parts (
  contributor TEXT NOT NULL,
  path TEXT NOT NULL,
  day TEXT NOT NULL,
  rows TEXT NOT NULL,
  PRIMARY KEY (contributor, path)
) WITHOUT ROWID;
`;

export interface SqliteOptions {
  /** A file path, or ':memory:'. Its directory is created if missing. */
  path: string;
}

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly path: string;
  private statements?: {
    batch: StatementSync;
    contributor: StatementSync;
    daily: StatementSync;
    comment: StatementSync;
    staged: StatementSync;
    stage: StatementSync;
    unstage: StatementSync;
    claimed: StatementSync;
    cube: StatementSync;
    comments: StatementSync;
  };

  constructor(options: SqliteOptions) {
    this.path = options.path;
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    this.db.exec('PRAGMA busy_timeout = 5000');
    if (options.path !== ':memory:') this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
  }

  async init(): Promise<void> {
    this.db.exec(SCHEMA);
    this.statements = {
      batch: this.db.prepare(
        'INSERT INTO batches (batch_id, received_day, row_count, comment_count) VALUES (?, ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING',
      ),
      contributor: this.db.prepare('INSERT INTO contributors (contributor, day) VALUES (?, ?) ON CONFLICT (contributor) DO NOTHING'),
      daily: this.db.prepare(
        `INSERT INTO daily (pack, tbl, day, axis, row_key, col_key, value, contributors) VALUES (?, ?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT (pack, tbl, day, axis, row_key, col_key)
         DO UPDATE SET value = value + excluded.value, contributors = contributors + 1`,
      ),
      comment: this.db.prepare('INSERT INTO comments (day, pack, rule, kind, text) VALUES (?, ?, ?, ?, ?)'),
      staged: this.db.prepare('SELECT path, day, rows FROM parts WHERE contributor = ?'),
      stage: this.db.prepare('INSERT INTO parts (contributor, path, day, rows) VALUES (?, ?, ?, ?)'),
      unstage: this.db.prepare('DELETE FROM parts WHERE contributor = ?'),
      claimed: this.db.prepare('SELECT 1 AS one FROM contributors WHERE contributor = ?'),
      cube: this.db.prepare(SQL.cube),
      comments: this.db.prepare(SQL.comments),
    };
  }

  private get s() {
    if (!this.statements) throw new Error('SqliteStorage: call init() first');
    return this.statements;
  }

  async storeBatch(batch: UploadBatch, receivedDay: string): Promise<StoreResult> {
    const s = this.s;
    let entries = rollup(batch);
    const comments = storedComments(batch);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const inserted = s.batch.run(batch.batchId, receivedDay, batch.rows.length, comments.length);
      if (Number(inserted.changes) === 0) {
        this.db.exec('ROLLBACK');
        return { duplicate: true, rows: batch.rows.length };
      }
      const day = batchDay(batch);
      const staged = day === undefined ? [] : (s.staged.all(batch.contributor) as { path: string; day: string; rows: string }[]);
      if (day !== undefined && batch.part !== undefined) {
        // A part of a split day: held until the parts cover the day, then counted as one contributor.
        if (s.claimed.get(batch.contributor) !== undefined) throw new ContributorReusedError();
        const complete = checkPart(staged, batch.part, day) === 'complete';
        if (!complete) {
          s.stage.run(batch.contributor, batch.part, day, JSON.stringify(batch.rows));
          entries = [];
        } else {
          s.unstage.run(batch.contributor);
          s.contributor.run(batch.contributor, day);
          entries = rollup({ ...batch, rows: [...staged.flatMap((p) => JSON.parse(p.rows) as UploadBatch['rows']), ...batch.rows] });
        }
      } else if (day !== undefined && (staged.length > 0 || Number(s.contributor.run(batch.contributor, day).changes) === 0)) {
        throw new ContributorReusedError();
      }
      for (const e of entries) s.daily.run(e.pack, e.table, e.day, e.axis, e.row, e.col, e.value);
      for (const comment of comments) s.comment.run(...comment);
      this.db.exec('COMMIT');
      return { duplicate: false, rows: batch.rows.length };
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async cube(q: CubeQuery): Promise<CubeResult> {
    return cubeFromDaily(this.s.cube.all(q.pack, q.table, q.from, q.to) as unknown as DailyRow[]);
  }

  async comments(q: { pack: string; from: string; to: string }): Promise<StoredComment[]> {
    return this.s.comments.all(q.pack, q.from, q.to) as unknown as StoredComment[];
  }

  async stats(): Promise<StorageStats> {
    const one = (sql: string) => Number((this.db.prepare(sql).get() as { n: number | bigint | null }).n ?? 0);
    let bytes = 0;
    if (this.path !== ':memory:') {
      for (const file of [this.path, `${this.path}-wal`]) {
        try {
          bytes += statSync(file).size;
        } catch {
          // no WAL file right now
        }
      }
    }
    return {
      batches: one('SELECT COUNT(*) AS n FROM batches'),
      dailyRows: one('SELECT COUNT(*) AS n FROM daily'),
      signals: one("SELECT SUM(value) AS n FROM daily WHERE axis = 'cell' AND tbl NOT IN ('targets', 'stages')"),
      comments: one('SELECT COUNT(*) AS n FROM comments'),
      contributors: one('SELECT COUNT(*) AS n FROM contributors'),
      parts: one('SELECT COUNT(*) AS n FROM parts'),
      bytes,
    };
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
