/**
 * Sync's settings and durable state, in storage.local (the background is their one writer):
 *
 *   syncSettings  { enabled, endpoint?, token? }   what the user or admin saved on the options page
 *   syncState     SyncState                         backoff, last upload, last error, start day
 *   syncTuning    Partial<Tuning>                   TEST-ONLY: shorter backoff and timeouts for e2e;
 *                                                   absent in real use (production = DEFAULT_TUNING)
 *
 * Enterprise policy (syncEndpoint, syncToken) wins over the saved values and locks them; sync is
 * on whenever policy sets both.
 */
import { z } from 'zod';
import type { KeyValueArea } from '../background/progress-store';
import { effective, type Policy } from '../policy/policy';
import { checkEndpoint } from './endpoint';

export const SYNC_SETTINGS_KEY = 'syncSettings';
export const SYNC_STATE_KEY = 'syncState';
export const SYNC_TUNING_KEY = 'syncTuning';

export const syncSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  endpoint: z.string().max(2000).optional(),
  token: z.string().min(8).max(500).optional(),
});
export type SyncSettings = z.infer<typeof syncSettingsSchema>;

export interface Tuning {
  /** Backoff: the first retry waits up to baseMs, doubling to capMs. */
  baseMs: number;
  capMs: number;
  /** A request unanswered for this long is abandoned (the MV3 worker is killed at 30 s). */
  timeoutMs: number;
  /** A finished UTC day is uploaded this long after it ended (signals retried late still land in it). */
  graceMs: number;
  /** Retries due sooner than this wait in the running worker; later ones wait for an alarm. */
  inWorkerMs: number;
}

export const DEFAULT_TUNING: Tuning = { baseMs: 1000, capMs: 30 * 60_000, timeoutMs: 25_000, graceMs: 2 * 3_600_000, inWorkerMs: 20_000 };

const tuningSchema = z.object({
  baseMs: z.number().int().min(0).max(3_600_000),
  capMs: z.number().int().min(0).max(86_400_000),
  timeoutMs: z.number().int().min(50).max(25_000),
  graceMs: z.number().int().min(0).max(86_400_000),
  inWorkerMs: z.number().int().min(0).max(25_000),
}).partial();

export const syncStateSchema = z.object({
  /** The first day that may be uploaded: the day after sync was first configured. */
  since: z.string().optional(),
  /** Failed attempts in a row (backoff exponent); 0 after a success. */
  attempt: z.number().int().min(0).default(0),
  /** No attempt before this time (ms since epoch), except a user's "Sync now". */
  nextAttemptAt: z.number().optional(),
  /** 401/403: no more attempts with this configuration (fingerprint) until it changes or "Sync now". */
  blocked: z.object({ fingerprint: z.string(), status: z.number() }).optional(),
  lastError: z.object({ at: z.number(), status: z.number().optional(), message: z.string() }).optional(),
  lastUploadAt: z.number().optional(),
  /** The newest day whose rows the collector acknowledged. */
  lastUploadDay: z.string().optional(),
  lastRunAt: z.number().optional(),
  /** Rows left out of a batch because they did not pass the payload schema (a bug, counted). */
  invalidRows: z.number().int().min(0).default(0),
});
export type SyncState = z.infer<typeof syncStateSchema>;

export async function readSyncSettings(area: KeyValueArea): Promise<SyncSettings> {
  const parsed = syncSettingsSchema.safeParse((await area.get(SYNC_SETTINGS_KEY))[SYNC_SETTINGS_KEY] ?? {});
  return parsed.success ? parsed.data : syncSettingsSchema.parse({});
}

export async function readSyncState(area: KeyValueArea): Promise<SyncState> {
  const parsed = syncStateSchema.safeParse((await area.get(SYNC_STATE_KEY))[SYNC_STATE_KEY] ?? {});
  return parsed.success ? parsed.data : syncStateSchema.parse({});
}

export async function readTuning(area: KeyValueArea): Promise<Tuning> {
  const parsed = tuningSchema.safeParse((await area.get(SYNC_TUNING_KEY))[SYNC_TUNING_KEY] ?? {});
  return { ...DEFAULT_TUNING, ...(parsed.success ? parsed.data : {}) };
}

/** The configuration sync runs with, when it runs. */
export interface SyncConfig {
  endpoint: URL;
  token: string;
  /** Changes when the endpoint or token changes (a 401 with the old ones does not block the new). */
  fingerprint: string;
}

/** How the options page shows sync: values in force, what policy locked, and why it is off. */
export interface ResolvedSync {
  endpoint: { value: string | undefined; locked: boolean };
  token: { set: boolean; locked: boolean };
  enabled: { value: boolean; locked: boolean };
  config?: SyncConfig;
  /** Why sync does not run although it is enabled (a bad endpoint, no token). */
  problem?: string;
}

export function resolveSync(settings: SyncSettings, policy: Policy): ResolvedSync {
  const endpoint = effective(policy, 'syncEndpoint', settings.endpoint);
  const token = effective(policy, 'syncToken', settings.token);
  // Policy that sets both turns sync on for everyone; otherwise the user's switch decides.
  const byPolicy = policy.syncEndpoint !== undefined && policy.syncToken !== undefined;
  const enabled = { value: byPolicy || settings.enabled, locked: byPolicy };
  const resolved: ResolvedSync = {
    endpoint: { value: endpoint.value, locked: endpoint.locked },
    token: { set: token.value !== undefined, locked: token.locked },
    enabled,
  };
  if (!enabled.value) return resolved;
  if (endpoint.value === undefined || token.value === undefined) {
    resolved.problem = endpoint.value === undefined ? 'No collector address is set.' : 'No upload token is set.';
    return resolved;
  }
  const checked = checkEndpoint(endpoint.value);
  if (!checked.ok) {
    resolved.problem = checked.message;
    return resolved;
  }
  resolved.config = { endpoint: checked.url, token: token.value, fingerprint: fingerprint(`${checked.url.href}\n${token.value}`) };
  return resolved;
}

/** FNV-1a, 32 bits: tells configurations apart; not a secret and not a security boundary. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}
