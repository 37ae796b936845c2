/**
 * The uploader against a fake fetch in front of the real collector storage (SQLite in memory):
 * ack-before-delete, a crash between send and ack, no retry on 400/401/403, 413 split under one
 * contributor, daily contributor ids, the grace period and the start day, Retry-After, late rows.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { SqliteStorage } from '../../collector/sqlite';
import { ContributorReusedError } from '../../collector/storage';
import type { KeyValueArea } from '../../lib/background/progress-store';
import { addComment, addSignals, openCoachDb, type CoachDatabase, type StoredSignal } from '../../lib/store/database';
import { uploadBatchSchema, type UploadBatch } from '../../lib/sync/payload';
import { SYNC_SETTINGS_KEY, SYNC_STATE_KEY, SYNC_TUNING_KEY, readSyncState } from '../../lib/sync/sync-config';
import { createSyncPageHandler, type SyncStatus } from '../../lib/sync/sync-page';
import { Uploader } from '../../lib/sync/uploader';

const HOUR = 3_600_000;
const signal = (day: string, over: Partial<StoredSignal> = {}): StoredSignal => ({
  type: 'rage-click',
  day,
  crm: 'demo',
  pack: 'demo',
  packVersion: '1.0.0',
  screen: 'demo/contacts',
  extensionVersion: '0.1.0',
  ...over,
});

function memoryArea(): KeyValueArea & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items) => void Object.assign(data, structuredClone(items)),
  };
}

type Answer = (batch: UploadBatch) => Promise<Response> | Response;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

let db: CoachDatabase;
let area: ReturnType<typeof memoryArea>;
let collector: SqliteStorage;
let now: number;
let script: Answer[];
let requests: UploadBatch[];

/** What the real collector answers (201, or 200 duplicate, 409). */
const real: Answer = async (batch) => {
  try {
    const r = await collector.storeBatch(uploadBatchSchema.parse(batch), '2026-11-28');
    return json(r.duplicate ? 200 : 201, { ok: true, batchId: batch.batchId, duplicate: r.duplicate, rows: r.rows });
  } catch (error) {
    if (error instanceof ContributorReusedError) return json(409, { error: 'contributor-reused', message: error.message });
    throw error;
  }
};

const fakeFetch = (async (_url: string, init: RequestInit) => {
  const batch = JSON.parse(String(init.body)) as UploadBatch;
  requests.push(batch);
  return (script.shift() ?? real)(batch);
}) as unknown as typeof fetch;

function uploader(policy: Record<string, unknown> = {}) {
  return new Uploader({
    area,
    db: (op) => op(db),
    policy: async () => ({ policy, errors: [] }),
    fetch: fakeFetch,
    extensionVersion: '0.1.0',
    now: () => now,
    random: () => 0.5,
  });
}

const batchesAtCollector = async () => (await collector.stats()).batches;

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  db = await openCoachDb();
  area = memoryArea();
  collector = new SqliteStorage({ path: ':memory:' });
  await collector.init();
  script = [];
  requests = [];
  // Configured on 2026-11-20 at noon: days from 2026-11-21 on are uploaded.
  now = Date.parse('2026-11-20T12:00:00Z');
  area.data[SYNC_SETTINGS_KEY] = { enabled: true, endpoint: 'http://127.0.0.1:8787', token: 'org-token-1' };
  area.data[SYNC_TUNING_KEY] = { baseMs: 1000, capMs: 60_000 };
  expect(await uploader().run()).toBe('done');
  expect((await readSyncState(area)).since).toBe('2026-11-21');
  await addSignals(db, [signal('2026-11-20'), signal('2026-11-21'), signal('2026-11-21', { type: 'dead-click' }), signal('2026-11-22')]);
});

describe('what is batched', () => {
  it('finished days from the day after configuration, after the grace period; one fresh contributor per day', async () => {
    now = Date.parse('2026-11-22T01:00:00Z'); // 2026-11-21 ended 1 h ago: within the 2 h grace
    expect(await uploader().run()).toBe('done');
    expect(requests).toHaveLength(0);
    now = Date.parse('2026-11-23T02:30:00Z');
    expect(await uploader().run()).toBe('done');
    expect(requests.map((b) => b.rows[0]!.day)).toEqual(['2026-11-21', '2026-11-22']);
    expect(requests[0]!.rows).toHaveLength(2);
    // Nothing from 2026-11-20 (before sync was configured); a contributor id per day, never reused.
    expect(new Set(requests.map((b) => b.contributor)).size).toBe(2);
    expect(new Set(requests.map((b) => b.batchId)).size).toBe(2);
    expect(await collector.stats()).toMatchObject({ batches: 2, contributors: 2, signals: 3 });
    expect(await db.count('outgoing')).toBe(0);
    const state = await readSyncState(area);
    expect(state.lastUploadDay).toBe('2026-11-22');
    // A day is batched once: later runs send nothing more.
    await uploader().run();
    expect(requests).toHaveLength(2);
  });

  it('rows arriving for a day already batched are counted as late, not sent, not lost silently', async () => {
    now = Date.parse('2026-11-23T03:00:00Z');
    await uploader().run();
    await addSignals(db, [signal('2026-11-21'), signal('2026-11-21', { type: 'error-banner' })]);
    await uploader().run();
    expect(requests).toHaveLength(2);
    const status = (await createSyncPageHandler({ area, db: (op) => op(db), policy: async () => ({ policy: {}, errors: [] }), uploader: uploader() })({ type: 'sync:status' })) as SyncStatus;
    expect(status.late).toBe(2);
  });

  it('only comments the user OK\'d leave, in batches without rows', async () => {
    await addComment(db, { day: '2026-11-20', pack: 'demo', rule: 'demo/contacts.tooltips#save', kind: 'confusing', text: 'kept private', shared: false });
    await addComment(db, { day: '2026-11-20', pack: 'demo', rule: 'demo/contacts.tooltips#save', kind: 'wrong', text: 'please fix', shared: true });
    await uploader().run();
    const withFeedback = requests.filter((b) => b.feedback);
    expect(withFeedback).toHaveLength(1);
    expect(withFeedback[0]!.rows).toEqual([]);
    expect(withFeedback[0]!.feedback!.map((f) => f.text)).toEqual(['please fix']);
    expect(JSON.stringify(requests)).not.toContain('kept private');
    await uploader().run();
    expect(requests.filter((b) => b.feedback)).toHaveLength(1);
  });
});

describe('delivery', () => {
  beforeEach(() => {
    now = Date.parse('2026-11-23T03:00:00Z');
  });

  it('deletes a batch only after the acknowledgement; 5xx keeps it and backs off', async () => {
    script = [() => json(503, { error: 'unavailable', message: 'later' })];
    expect(await uploader().run()).toBe('retry-later');
    expect(await db.count('outgoing')).toBe(2);
    let state = await readSyncState(area);
    expect(state.attempt).toBe(1);
    expect(state.nextAttemptAt).toBe(now + 500); // full jitter: random 0.5 × min(cap, 1000 · 2^0)
    expect(state.lastError?.message).toMatch(/problem \(503\)/);
    // Not before the wait is over.
    expect(await uploader().run()).toBe('waiting');
    expect(requests).toHaveLength(1);
    now += 500;
    expect(await uploader().run()).toBe('done');
    expect(await db.count('outgoing')).toBe(0);
    state = await readSyncState(area);
    expect(state.attempt).toBe(0);
    expect(state.lastError).toBeUndefined();
    expect(await batchesAtCollector()).toBe(2);
  });

  it('a crash between send and ack: the very same batch is resent, and duplicate:true is an acknowledgement', async () => {
    // The collector stores it, then the worker dies before the answer is read.
    script = [async (b) => (await real(b), Promise.reject(new TypeError('Failed to fetch')))];
    expect(await uploader().run()).toBe('retry-later');
    const stored = await db.getAll('outgoing');
    expect(stored).toHaveLength(2);
    now += 60_000;
    expect(await uploader().run()).toBe('done');
    expect(requests[1]).toEqual(requests[0]);
    expect(await db.count('outgoing')).toBe(0);
    expect(await collector.stats()).toMatchObject({ batches: 2, contributors: 2, signals: 3 });
  });

  it('a request that never answers is abandoned at the timeout and retried', async () => {
    area.data[SYNC_TUNING_KEY] = { baseMs: 1000, capMs: 60_000, timeoutMs: 50 };
    script = [() => new Promise<Response>(() => {})];
    const hang = (async (url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        if (script.length === 0) return resolve(fakeFetch(url, init));
        script.shift();
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      })) as unknown as typeof fetch;
    const u = new Uploader({ area, db: (op) => op(db), policy: async () => ({ policy: {}, errors: [] }), fetch: hang, extensionVersion: '0.1.0', now: () => now, random: () => 0 });
    expect(await u.run()).toBe('retry-later');
    expect((await readSyncState(area)).lastError?.message).toMatch(/did not answer/);
    expect(await u.run()).toBe('done');
    expect(await batchesAtCollector()).toBe(2);
  });

  it('429 honours Retry-After (seconds and HTTP-date) over a shorter backoff', async () => {
    script = [() => json(429, { error: 'rate-limited', message: 'slow down' }, { 'Retry-After': '120' })];
    await uploader().run();
    expect((await readSyncState(area)).nextAttemptAt).toBe(now + 120_000);
    now += 120_000;
    script = [() => json(429, { error: 'rate-limited', message: 'slow down' }, { 'Retry-After': new Date(now + 30_000).toUTCString() })];
    await uploader().run();
    expect((await readSyncState(area)).nextAttemptAt).toBe(now + 30_000);
  });

  it.each([401, 403])('%i: no retry, a clear error, until the token changes (or "Sync now")', async (status) => {
    script = [() => json(status, { error: 'unauthorized', message: 'unknown token' })];
    expect(await uploader().run()).toBe('blocked');
    expect((await readSyncState(area)).lastError?.message).toMatch(/refused the token/);
    now += 24 * HOUR;
    expect(await uploader().run()).toBe('blocked');
    expect(requests).toHaveLength(1);
    expect(await db.count('outgoing')).toBe(2);
    // A new token is a new configuration: it runs.
    area.data[SYNC_SETTINGS_KEY] = { enabled: true, endpoint: 'http://127.0.0.1:8787', token: 'org-token-2' };
    expect(await uploader().run()).toBe('done');
    expect(await batchesAtCollector()).toBe(2);
  });

  it('400: that batch is kept, marked and never resent; the others go', async () => {
    script = [() => json(400, { error: 'invalid-batch', message: 'the batch does not match', issues: [{ path: 'rows.0.screen', code: 'invalid_format', message: 'bad' }] })];
    expect(await uploader().run()).toBe('done');
    expect(requests).toHaveLength(2);
    const kept = await db.getAll('outgoing');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.rejected?.status).toBe(400);
    expect((await readSyncState(area)).lastError?.message).toMatch(/^The collector rejected a batch: the batch does not match \(rows\.0\.screen: bad\)/);
    await uploader().run({ force: true });
    expect(requests).toHaveLength(2);
  });

  it('413: the day is split into parts under ONE contributor, and counted once', async () => {
    await addSignals(db, ['error-banner', 'dead-click', 'validation-loop'].map((type) => signal('2026-11-22', { type: type as StoredSignal['type'] })));
    const tooLarge: Answer = (b) => (b.rows.length > 1 ? json(413, { error: 'payload-too-large', message: 'too big' }) : real(b));
    script = Array.from({ length: 12 }, () => tooLarge);
    expect(await uploader().run()).toBe('done');
    const day22 = requests.filter((b) => b.rows[0]?.day === '2026-11-22' && b.rows.length === 1);
    expect(day22.map((b) => b.part).sort()).toEqual(['00', '01', '10', '11']);
    expect(new Set(day22.map((b) => b.contributor)).size).toBe(1);
    // 2 days, 2 contributors; 6 signals; no parts left waiting.
    expect(await collector.stats()).toMatchObject({ contributors: 2, signals: 6, parts: 0 });
    expect(await db.count('outgoing')).toBe(0);
  });
});
