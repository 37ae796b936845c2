/**
 * Storage in PostgreSQL (pg Pool): several collector instances behind a load balancer may share
 * one database.
 *
 * Race-safe dedupe: the batch id is inserted (primary key, ON CONFLICT DO NOTHING) in the same
 * transaction as the daily totals. When two instances receive the same batch at once, the second
 * INSERT waits on the first transaction's uncommitted key: if that commits, the second finds a
 * conflict and answers "duplicate"; if it rolls back, the second stores the batch. Either way
 * exactly once. The contributor id is claimed the same way.
 *
 * Daily totals are upserted in one statement, in key order (rollup() sorts them), so that two
 * transactions touching the same totals lock them in the same order and cannot deadlock. The
 * table is half-filled (fillfactor 50) so that those updates stay on their page (HOT) and the
 * many updates of a day's busiest totals do not bloat it.
 *
 * Schema creation is serialised by a transaction-scoped advisory lock, so instances starting
 * together do not trip over CREATE ... IF NOT EXISTS.
 */
import pg from 'pg';
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

export interface PostgresOptions {
  connectionString: string;
  /** Schema holding the tables (created if missing). Default "crm_coach". */
  schema?: string;
  /** Connections per instance. Default 10. */
  poolSize?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** `?` placeholders to `$1, $2, …`. */
const numbered = (sql: string): string => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

export class PostgresStorage implements Storage {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly pool: pg.Pool;

  constructor(options: PostgresOptions) {
    this.schema = options.schema ?? 'crm_coach';
    if (!IDENTIFIER.test(this.schema)) throw new Error(`invalid PostgreSQL schema name: ${this.schema}`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // Unqualified table names resolve to our schema.
      options: `-c search_path=${this.schema}`,
    });
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', () => {});
  }

  async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('crm-coach-collector-schema'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.schema}.batches (
          batch_id text PRIMARY KEY,
          received_day text NOT NULL,
          row_count integer NOT NULL,
          comment_count integer NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ${this.schema}.contributors (
          contributor text PRIMARY KEY,
          day text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ${this.schema}.daily (
          pack text NOT NULL,
          tbl text NOT NULL,
          day text NOT NULL,
          axis text NOT NULL,
          row_key text NOT NULL,
          col_key text NOT NULL,
          value bigint NOT NULL CHECK (value > 0),
          contributors integer NOT NULL CHECK (contributors > 0),
          PRIMARY KEY (pack, tbl, day, axis, row_key, col_key)
        ) WITH (fillfactor = 50);
        CREATE TABLE IF NOT EXISTS ${this.schema}.comments (
          day text NOT NULL,
          pack text NOT NULL,
          rule text NOT NULL,
          kind text NOT NULL,
          text text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS comments_pack_day ON ${this.schema}.comments (pack, day);
        CREATE TABLE IF NOT EXISTS ${this.schema}.parts (
          contributor text NOT NULL,
          path text NOT NULL,
          day text NOT NULL,
          rows jsonb NOT NULL,
          PRIMARY KEY (contributor, path)
        );
      `);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async storeBatch(batch: UploadBatch, receivedDay: string): Promise<StoreResult> {
    let entries = rollup(batch);
    const comments = storedComments(batch);
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        'INSERT INTO batches (batch_id, received_day, row_count, comment_count) VALUES ($1, $2, $3, $4) ON CONFLICT (batch_id) DO NOTHING',
        [batch.batchId, receivedDay, batch.rows.length, comments.length],
      );
      if (inserted.rowCount === 0) {
        await client.query('ROLLBACK');
        return { duplicate: true, rows: batch.rows.length };
      }
      const day = batchDay(batch);
      if (day !== undefined) {
        // Parts of one contributor's split day arrive on any instance: one at a time per contributor,
        // so that exactly one of them sees the day complete.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`crm-coach-contributor:${batch.contributor}`]);
      }
      const staged =
        day === undefined
          ? []
          : (await client.query<{ path: string; day: string; rows: UploadBatch['rows'] }>('SELECT path, day, rows FROM parts WHERE contributor = $1', [batch.contributor])).rows;
      if (day !== undefined && batch.part !== undefined) {
        const used = await client.query('SELECT 1 FROM contributors WHERE contributor = $1', [batch.contributor]);
        if (used.rowCount !== 0) throw new ContributorReusedError();
        if (checkPart(staged, batch.part, day) === 'pending') {
          await client.query('INSERT INTO parts (contributor, path, day, rows) VALUES ($1, $2, $3, $4)', [batch.contributor, batch.part, day, JSON.stringify(batch.rows)]);
          entries = [];
        } else {
          await client.query('DELETE FROM parts WHERE contributor = $1', [batch.contributor]);
          await client.query('INSERT INTO contributors (contributor, day) VALUES ($1, $2)', [batch.contributor, day]);
          entries = rollup({ ...batch, rows: [...staged.flatMap((p) => p.rows), ...batch.rows] });
        }
      } else if (day !== undefined) {
        if (staged.length > 0) throw new ContributorReusedError();
        const claimed = await client.query('INSERT INTO contributors (contributor, day) VALUES ($1, $2) ON CONFLICT (contributor) DO NOTHING', [batch.contributor, day]);
        if (claimed.rowCount === 0) throw new ContributorReusedError();
      }
      if (entries.length > 0) {
        const column = <K extends keyof (typeof entries)[number]>(key: K) => entries.map((e) => e[key]);
        await client.query(
          `INSERT INTO daily (pack, tbl, day, axis, row_key, col_key, value, contributors)
           SELECT pack, tbl, day, axis, row_key, col_key, value, 1
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
             WITH ORDINALITY AS t(pack, tbl, day, axis, row_key, col_key, value, n)
           ORDER BY n
           ON CONFLICT (pack, tbl, day, axis, row_key, col_key)
           DO UPDATE SET value = daily.value + excluded.value, contributors = daily.contributors + 1`,
          [column('pack'), column('table'), column('day'), column('axis'), column('row'), column('col'), column('value')],
        );
      }
      if (comments.length > 0) {
        const column = (i: number) => comments.map((c) => c[i]);
        await client.query(
          'INSERT INTO comments (day, pack, rule, kind, text) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])',
          [column(0), column(1), column(2), column(3), column(4)],
        );
      }
      await client.query('COMMIT');
      return { duplicate: false, rows: batch.rows.length };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async cube(q: CubeQuery): Promise<CubeResult> {
    const result = await this.pool.query(numbered(SQL.cube), [q.pack, q.table, q.from, q.to]);
    return cubeFromDaily(result.rows as DailyRow[]);
  }

  async comments(q: { pack: string; from: string; to: string }): Promise<StoredComment[]> {
    const result = await this.pool.query<StoredComment>(
      'SELECT rule, kind, text FROM comments WHERE pack = $1 AND day >= $2 AND day <= $3 ORDER BY rule COLLATE "C", kind COLLATE "C", text COLLATE "C"',
      [q.pack, q.from, q.to],
    );
    return result.rows;
  }

  async stats(): Promise<StorageStats> {
    const { rows } = await this.pool.query<Record<keyof StorageStats, string>>(`
      SELECT (SELECT COUNT(*) FROM batches) AS batches,
             (SELECT COUNT(*) FROM daily) AS "dailyRows",
             (SELECT COALESCE(SUM(value), 0) FROM daily WHERE axis = 'cell' AND tbl NOT IN ('targets', 'stages')) AS signals,
             (SELECT COUNT(*) FROM comments) AS comments,
             (SELECT COUNT(*) FROM contributors) AS contributors,
             (SELECT COUNT(*) FROM parts) AS parts,
             (SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = '${this.schema}' AND c.relkind = 'r') AS bytes`);
    const r = rows[0]!;
    return {
      batches: Number(r.batches),
      dailyRows: Number(r.dailyRows),
      signals: Number(r.signals),
      comments: Number(r.comments),
      contributors: Number(r.contributors),
      parts: Number(r.parts),
      bytes: Number(r.bytes),
    };
  }

  /** Drops the schema and everything in it (tests). */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
