/**
 * The collector's configuration, from environment variables only (see collector/README.md):
 *
 *   PORT              default 8787
 *   HOST              default 127.0.0.1 (put a TLS-terminating proxy in front; never plain HTTP
 *                     across a network)
 *   STORAGE           sqlite (default) | postgres
 *   SQLITE_PATH       default ./collector-data/collector.sqlite
 *   DATABASE_URL      postgres://… (STORAGE=postgres)
 *   PG_SCHEMA         default crm_coach
 *   K                 default 5; at least 5 (it can only be raised)
 *   PERIOD            month (default) | week | day: the one granularity insights are published
 *                     in; whole calendar periods only, so two answers never overlap. Choose once.
 *   ORG_TOKENS        SHA-256 hashes (hex) of the upload tokens, comma-separated; and/or
 *   ORG_TOKENS_FILE   a file of hashes, one per line (`sha256sum` output works; # comments)
 *   MANAGER_TOKENS / MANAGER_TOKENS_FILE   the same, for reading insights
 *   MAX_BODY_BYTES    default 524288 (512 KiB)
 *   RATE_LIMIT        requests per minute per token, default 600 (bursts up to that many)
 *   CORS_ORIGINS      origins allowed to call from a browser (e.g. chrome-extension://<id>),
 *                     comma-separated; default none
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MIN_K } from '../lib/privacy/suppression';
import { PERIOD_GRANULARITIES, type PeriodGranularity } from '../lib/sync/payload';

export interface CollectorConfig {
  port: number;
  host: string;
  storage: 'sqlite' | 'postgres';
  sqlitePath: string;
  databaseUrl?: string;
  pgSchema: string;
  k: number;
  period: PeriodGranularity;
  orgTokenHashes: ReadonlySet<string>;
  managerTokenHashes: ReadonlySet<string>;
  maxBodyBytes: number;
  /** Requests per minute per token. */
  rateLimit: number;
  corsOrigins: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid collector configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export const sha256 = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const HASH = /^[0-9a-f]{64}$/;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function tokenHashes(env: NodeJS.ProcessEnv, name: string, problems: string[]): Set<string> {
  const out = new Set<string>();
  const take = (entry: string, where: string) => {
    const hash = entry.trim().split(/\s+/)[0]!.toLowerCase();
    if (!hash) return;
    if (!HASH.test(hash)) {
      problems.push(
        `${where}: expected SHA-256 hashes of tokens (64 hex characters), never the tokens themselves; ` +
          'make one with: node collector/start.mjs hash-token',
      );
      return;
    }
    out.add(hash);
  };
  for (const entry of (env[name] ?? '').split(',')) if (entry.trim()) take(entry, name);
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const text = line.replace(/#.*/, '').trim();
          if (text) take(text, `${name}_FILE ${file}:${i + 1}`);
        });
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as Error).message})`);
    }
  }
  return out;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const problems: string[] = [];
  const storage = (env.STORAGE || 'sqlite').toLowerCase();
  if (storage !== 'sqlite' && storage !== 'postgres') problems.push(`STORAGE must be sqlite or postgres (got "${env.STORAGE}")`);
  if (storage === 'postgres' && !env.DATABASE_URL) problems.push('STORAGE=postgres needs DATABASE_URL');
  const kRaw = env.K;
  let k = MIN_K;
  if (kRaw !== undefined && kRaw !== '') {
    const n = Number(kRaw);
    if (!Number.isInteger(n) || n < MIN_K) problems.push(`K must be an integer ≥ ${MIN_K}: k-anonymity can only be made stricter (got "${kRaw}")`);
    else k = n;
  }
  const period = (env.PERIOD || 'month') as PeriodGranularity;
  if (!PERIOD_GRANULARITIES.includes(period)) problems.push(`PERIOD must be month, week or day (got "${env.PERIOD}")`);
  const orgTokenHashes = tokenHashes(env, 'ORG_TOKENS', problems);
  const managerTokenHashes = tokenHashes(env, 'MANAGER_TOKENS', problems);
  if (orgTokenHashes.size === 0) problems.push('ORG_TOKENS (or ORG_TOKENS_FILE) must list at least one token hash');
  for (const hash of orgTokenHashes) {
    if (managerTokenHashes.has(hash)) problems.push(`token ${hash.slice(0, 8)}… is both an org and a manager token: give each role its own`);
  }
  const pgSchema = env.PG_SCHEMA || 'crm_coach';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) problems.push(`PG_SCHEMA must be a lower-case SQL identifier (got "${pgSchema}")`);
  const corsOrigins = (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port])`);
  }
  const config: CollectorConfig = {
    port: integer(env, 'PORT', 8787, 0, 65535, problems),
    host: env.HOST || '127.0.0.1',
    storage: storage === 'postgres' ? 'postgres' : 'sqlite',
    sqlitePath: env.SQLITE_PATH || './collector-data/collector.sqlite',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    pgSchema,
    k,
    period,
    orgTokenHashes,
    managerTokenHashes,
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 512 * 1024, 1024, 64 * 1024 * 1024, problems),
    rateLimit: integer(env, 'RATE_LIMIT', 600, 1, 10_000_000, problems),
    corsOrigins,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
