/**
 * Starts the collector from environment variables (collector/config.ts); run it with
 * `node collector/start.mjs`. Stops cleanly on SIGINT / SIGTERM.
 */
import { ConfigError, configFromEnv, type CollectorConfig } from './config';
import { createCollector } from './server';
import type { Storage } from './storage';

export async function openStorage(config: CollectorConfig): Promise<Storage> {
  let storage: Storage;
  if (config.storage === 'postgres') {
    const { PostgresStorage } = await import('./postgres');
    storage = new PostgresStorage({ connectionString: config.databaseUrl!, schema: config.pgSchema });
  } else {
    const { SqliteStorage } = await import('./sqlite');
    storage = new SqliteStorage({ path: config.sqlitePath });
  }
  await storage.init();
  return storage;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: CollectorConfig;
  try {
    config = configFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n(see collector/README.md)\n`);
      process.exit(2);
    }
    throw error;
  }
  const storage = await openStorage(config);
  const collector = createCollector({ config, storage });
  const { url } = await collector.listen();
  const where = config.storage === 'sqlite' ? config.sqlitePath : `postgres schema ${config.pgSchema}`;
  process.stdout.write(
    JSON.stringify({ t: new Date().toISOString(), event: 'listening', url, storage: config.storage, where, k: config.k, pid: process.pid }) + '\n',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(JSON.stringify({ t: new Date().toISOString(), event: 'stopping', signal }) + '\n');
    await collector.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
