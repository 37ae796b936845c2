/** Shared by the collector tests: batches, storages (SQLite always, PostgreSQL when DATABASE_URL is set). */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStorage } from '../../../collector/postgres';
import { SqliteStorage } from '../../../collector/sqlite';
import type { Storage } from '../../../collector/storage';
import { randomId, type AggregateRow, type UploadBatch } from '../../../lib/sync/payload';

export const DATABASE_URL = process.env.DATABASE_URL;
export const PG_SKIP_REASON = 'PostgreSQL suite skipped: DATABASE_URL is not set (run through `bash scripts/with-postgres.sh npx vitest run test/unit/collector`)';

export function row(overrides: Partial<AggregateRow> = {}): AggregateRow {
  return {
    day: '2026-11-02',
    crm: 'demo',
    pack: 'demo',
    packVersion: '1.0.0',
    screen: 'demo/contacts',
    type: 'rage-click',
    count: 1,
    ...overrides,
  } as AggregateRow;
}

export function batch(rows: AggregateRow[], overrides: Partial<UploadBatch> = {}): UploadBatch {
  return { format: 1, batchId: randomId(), contributor: randomId(), extensionVersion: '0.1.0', rows, ...overrides };
}

export interface TestStorage {
  storage: Storage;
  /** Another instance on the same data (a second collector process / pool). */
  twin(): Promise<Storage>;
  dispose(): Promise<void>;
}

export async function sqliteStorage(): Promise<TestStorage> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-coach-collector-'));
  const path = join(dir, 'collector.sqlite');
  const storage = new SqliteStorage({ path });
  await storage.init();
  const twins: Storage[] = [];
  return {
    storage,
    twin: async () => {
      const s = new SqliteStorage({ path });
      await s.init();
      twins.push(s);
      return s;
    },
    dispose: async () => {
      for (const t of twins) await t.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresStorage(): Promise<TestStorage> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const storage = new PostgresStorage({ connectionString: DATABASE_URL!, schema, poolSize: 8 });
  await storage.init();
  const twins: PostgresStorage[] = [];
  return {
    storage,
    twin: async () => {
      const s = new PostgresStorage({ connectionString: DATABASE_URL!, schema, poolSize: 8 });
      await s.init();
      twins.push(s);
      return s;
    },
    dispose: async () => {
      for (const t of twins) await t.close();
      await storage.dropSchema();
      await storage.close();
    },
  };
}

export const ADAPTERS: { name: 'sqlite' | 'postgres'; enabled: boolean; make: () => Promise<TestStorage> }[] = [
  { name: 'sqlite', enabled: true, make: sqliteStorage },
  { name: 'postgres', enabled: DATABASE_URL !== undefined, make: postgresStorage },
];
