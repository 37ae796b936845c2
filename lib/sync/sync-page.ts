/**
 * The `sync:` page route (entrypoints/background.ts): messages from our own pages (options,
 * popup) about sync, with their own zod schema. The token is write-only: saved, never sent back.
 */
import { z } from 'zod';
import type { KeyValueArea } from '../background/progress-store';
import type { ReadPolicy } from '../policy/policy';
import type { CoachDatabase } from '../store/database';
import { checkEndpoint } from './endpoint';
import { readSyncSettings, readSyncState, readTuning, resolveSync, SYNC_SETTINGS_KEY, SYNC_STATE_KEY, syncSettingsSchema } from './sync-config';
import * as store from './sync-store';
import type { Uploader } from './uploader';

export const syncMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sync:status') }),
  z.strictObject({
    type: z.literal('sync:save'),
    enabled: z.boolean(),
    endpoint: z.string().max(2000),
    /** A new token; absent keeps the saved one. */
    token: z.string().max(500).optional(),
  }),
  z.strictObject({ type: z.literal('sync:test') }),
  z.strictObject({ type: z.literal('sync:now') }),
  z.strictObject({ type: z.literal('sync:comments') }),
  z.strictObject({ type: z.literal('sync:share'), id: z.number().int().min(1), shared: z.boolean() }),
]);
export type SyncMessage = z.infer<typeof syncMessageSchema>;

export interface SyncStatus {
  enabled: { value: boolean; locked: boolean };
  endpoint: { value: string | undefined; locked: boolean };
  token: { set: boolean; locked: boolean };
  /** Sync runs (enabled and configured correctly). */
  active: boolean;
  /** The collector's host, for "what leaves this browser, and to where". */
  host?: string;
  problem?: string;
  /** The first day that is uploaded (the day after sync was first configured). */
  since?: string;
  waiting: number;
  rejected: number;
  /** Signals recorded for a day after its batch was made (not sent). */
  late: number;
  invalidRows: number;
  lastUploadAt?: number;
  lastUploadDay?: string;
  nextAttemptAt?: number;
  lastRunAt?: number;
  blocked: boolean;
  lastError?: { at: number; status?: number; message: string };
}

export interface SyncPageDeps {
  area: KeyValueArea;
  db: <T>(op: (db: CoachDatabase) => Promise<T>) => Promise<T>;
  policy: () => Promise<ReadPolicy>;
  uploader: Uploader;
}

export function createSyncPageHandler(deps: SyncPageDeps) {
  async function status(): Promise<SyncStatus> {
    const [settings, policy, state, outgoing, late] = await Promise.all([
      readSyncSettings(deps.area),
      deps.policy(),
      readSyncState(deps.area),
      deps.db(store.listOutgoing),
      deps.db(store.lateSignals),
    ]);
    const resolved = resolveSync(settings, policy.policy);
    const rejected = outgoing.filter((b) => b.rejected).length;
    return {
      enabled: resolved.enabled,
      endpoint: resolved.endpoint,
      token: resolved.token,
      active: resolved.config !== undefined,
      ...(resolved.config && { host: resolved.config.endpoint.host }),
      ...(resolved.problem && { problem: resolved.problem }),
      ...(state.since && { since: state.since }),
      waiting: outgoing.length - rejected,
      rejected,
      late,
      invalidRows: state.invalidRows,
      ...(state.lastUploadAt !== undefined && { lastUploadAt: state.lastUploadAt }),
      ...(state.lastUploadDay && { lastUploadDay: state.lastUploadDay }),
      ...(state.nextAttemptAt !== undefined && { nextAttemptAt: state.nextAttemptAt }),
      ...(state.lastRunAt !== undefined && { lastRunAt: state.lastRunAt }),
      blocked: resolved.config !== undefined && state.blocked?.fingerprint === resolved.config.fingerprint,
      ...(state.lastError && { lastError: state.lastError }),
    };
  }

  return async function handleSyncMessage(raw: unknown): Promise<unknown> {
    const parsed = syncMessageSchema.safeParse(raw);
    if (!parsed.success) return { error: 'malformed message' };
    const message = parsed.data;
    switch (message.type) {
      case 'sync:status':
        return status();
      case 'sync:save': {
        const { policy } = await deps.policy();
        const current = await readSyncSettings(deps.area);
        const endpoint = message.endpoint.trim();
        // Values policy sets are locked: the saved ones stay as they were.
        if (policy.syncEndpoint === undefined && endpoint !== '') {
          const checked = checkEndpoint(endpoint);
          if (!checked.ok) return { error: checked.message, field: 'endpoint' };
        }
        const token = message.token?.trim();
        if (policy.syncToken === undefined && token !== undefined && token !== '' && token.length < 8) {
          return { error: 'The token is too short (at least 8 characters).', field: 'token' };
        }
        const next = syncSettingsSchema.parse({
          enabled: message.enabled,
          endpoint: policy.syncEndpoint !== undefined ? current.endpoint : endpoint || undefined,
          token: policy.syncToken !== undefined || !token ? current.token : token,
        });
        await deps.area.set({ [SYNC_SETTINGS_KEY]: next });
        // A new configuration starts afresh: no block, no backoff from the old one.
        const state = await readSyncState(deps.area);
        await deps.area.set({ [SYNC_STATE_KEY]: { ...state, attempt: 0, nextAttemptAt: undefined, blocked: undefined, lastError: undefined } });
        void deps.uploader.run().catch(() => {});
        return { ok: true, status: await status() };
      }
      case 'sync:test': {
        const config = await deps.uploader.config();
        if (!config) return { ok: false, message: (await status()).problem ?? 'Sync is off: save an address and a token first.' };
        return deps.uploader.testConnection(config, await readTuning(deps.area));
      }
      case 'sync:now':
        await deps.uploader.run({ force: true });
        return status();
      case 'sync:comments':
        return (await deps.db(store.listCommentsForSharing)).map((c) => ({ id: c.id, day: c.day, rule: c.rule, kind: c.kind, text: c.text, shared: c.shared, sent: c.sentIn !== undefined }));
      case 'sync:share':
        return { ok: await deps.db((db) => store.setCommentShared(db, message.id, message.shared)) };
    }
  };
}
