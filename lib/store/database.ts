/**
 * The one module that owns the IndexedDB schema. Nothing else calls openDB.
 *
 *   crm-coach (version 6)
 *   ├─ signals    key: auto-increment id   value: StoredSignal    index: by-day (day)      [v1]
 *   │                                                            index: by-uid (uid, unique) [v3]
 *   │             uid: random per signal, made by the sender, so a retried message (the worker
 *   │             was stopped before it could answer) is stored once
 *   ├─ comments   key: auto-increment id   value: StoredComment   index: by-day (day)      [v2]
 *   │             feedback comments, scrubbed, kept apart from signals; `shared` stays false
 *   │             until the user explicitly OKs sending one
 *   ├─ rollups    key: key (rowKey)        value: StoredRollup    index: by-day (day)      [v4]
 *   │             the daily aggregate of the signals (lib/store/rollup.ts), updated in the same
 *   │             transaction as every signal write, backfilled from the signals on upgrade; kept
 *   │             longer than raw signals (ROLLUP_MAX_AGE_DAYS) because insights read a year
 *   ├─ outgoing   key: auto-increment id   value: OutgoingBatch   index: by-batch (batchId, unique) [v5]
 *   │             upload batches for the collector (lib/sync/), persisted with their batchId and
 *   │             contributor BEFORE the first send, so every retry resends the very same batch;
 *   │             deleted only when the collector acknowledged it; sent in key order
 *   ├─ syncDays   key: day                 value: SyncDay                                       [v5]
 *   │             the days whose batch was made: a day is batched once (its contributor id is
 *   │             single-use), with the signal count it had, so late rows are counted, not lost
 *   │             silently. Comments carry `sentIn` (a batchId) once put in a batch.
 *   ├─ periodCubes key: [pack, period]     value: StoredPeriodCube                              [v6]
 *   │             insights' cubes of finished periods (a cache: derived from rollups, dropped
 *   │             when later signals touch their days; see reconcilePeriodCubes)
 *   └─ meta       key: key                 value: { key, value }                               [v6]
 *                 small bookkeeping: "periodCubesToken", what the period cubes are right for
 *
 * Upgrades are additive and run in order from any earlier version (see `upgrade`; the unit
 * tests open databases created by every earlier version).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SignalRecord } from '../signals/signal-record';
import { mergeRollup, rollUp, toAggregateRow, type StoredRollup } from './rollup';
import type { AggregateRow, UploadBatch } from '../sync/payload';

export type { StoredRollup } from './rollup';

export const DB_NAME = 'crm-coach';
export const DB_VERSION = 6;
/** Rollups are what insights read: a year and a bit. */
export const ROLLUP_MAX_AGE_DAYS = 400;

export interface StoredSignal extends SignalRecord {
  id?: number;
  /** Random per signal (not per person): lets a retried write be recognised. */
  uid?: string;
}

export interface StoredComment {
  id?: number;
  day: string;
  pack: string;
  /** The rule or step the comment is about. */
  rule: string;
  kind: string;
  /** Scrubbed of e-mails, phone numbers and long digit runs before storing. */
  text: string;
  /** The user chose to share it with their organisation (never by default). */
  shared: boolean;
  /** The batch it was put in for the collector (v5; lib/sync/). */
  sentIn?: string;
}

/** An upload batch waiting for the collector's acknowledgement (lib/sync/uploader.ts). */
export interface OutgoingBatch {
  id?: number;
  batchId: string;
  /** The day of its rows; absent for a batch of comments only. */
  day?: string;
  batch: UploadBatch;
  /** The collector refused it for good (400, 409, or 413 with nothing left to split): kept, not resent. */
  rejected?: { status: number; message: string };
}

/** A day whose aggregate went into a batch: never batched again (its contributor id is single-use). */
export interface SyncDay {
  day: string;
  batchId: string;
  /** Signals in that day's rollups when it was batched; more later are "late" (counted, not sent). */
  signals: number;
}

export interface CoachDB extends DBSchema {
  signals: {
    key: number;
    value: StoredSignal;
    indexes: { 'by-day': string; 'by-uid': string };
  };
  comments: {
    key: number;
    value: StoredComment;
    indexes: { 'by-day': string };
  };
  rollups: {
    key: string;
    value: StoredRollup;
    indexes: { 'by-day': string };
  };
  outgoing: {
    key: number;
    value: OutgoingBatch;
    indexes: { 'by-batch': string };
  };
  syncDays: {
    key: string;
    value: SyncDay;
  };
  periodCubes: {
    key: [string, string];
    value: StoredPeriodCube;
  };
  meta: {
    key: string;
    value: { key: string; value: unknown };
  };
}

/**
 * A finished period's insights cube for one pack (lib/insights/period-cubes.ts), kept so a cold
 * service worker answers a year's view without re-reading the year's rollups. Right as of the
 * change token stored under meta "periodCubesToken"; lib/insights/handle-insights.ts drops what
 * later signals touched before it reads any.
 */
export interface StoredPeriodCube {
  pack: string;
  /** "2026-11", "2026-W48". */
  period: string;
  cube: unknown;
}

export type CoachDatabase = IDBPDatabase<CoachDB>;

export function openCoachDb(version: number = DB_VERSION): Promise<CoachDatabase> {
  return openDB<CoachDB>(DB_NAME, version, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const signals = db.createObjectStore('signals', { keyPath: 'id', autoIncrement: true });
        signals.createIndex('by-day', 'day');
      }
      if (oldVersion < 2 && version >= 2) {
        const comments = db.createObjectStore('comments', { keyPath: 'id', autoIncrement: true });
        comments.createIndex('by-day', 'day');
      }
      if (oldVersion < 3 && version >= 3) {
        // Rows from before v3 have no uid; an index skips rows without the key.
        tx.objectStore('signals').createIndex('by-uid', 'uid', { unique: true });
      }
      if (oldVersion < 4 && version >= 4) {
        const rollups = db.createObjectStore('rollups', { keyPath: 'key' });
        rollups.createIndex('by-day', 'day');
        // Backfill from the signals kept so far (at most the row limit): only IDB requests are
        // awaited, so the upgrade transaction stays alive.
        void tx
          .objectStore('signals')
          .getAll()
          .then((signals) => Promise.all([...rollUp(signals).values()].map((row) => rollups.put(row))));
      }
      if (oldVersion < 5 && version >= 5) {
        db.createObjectStore('outgoing', { keyPath: 'id', autoIncrement: true }).createIndex('by-batch', 'batchId', { unique: true });
        db.createObjectStore('syncDays', { keyPath: 'day' });
      }
      if (oldVersion < 6 && version >= 6) {
        db.createObjectStore('periodCubes', { keyPath: ['pack', 'period'] });
        db.createObjectStore('meta', { keyPath: 'key' });
      }
    },
  });
}

/**
 * Store signals and update their daily rollups in one transaction; resolves when it committed.
 * Signals whose uid is already stored are skipped (a retry after a lost reply). Returns how many
 * were new.
 */
export async function addSignals(db: CoachDatabase, records: readonly StoredSignal[]): Promise<number> {
  const tx = db.transaction(['signals', 'rollups'], 'readwrite');
  const signals = tx.objectStore('signals');
  const fresh: StoredSignal[] = [];
  for (const record of records) {
    if (record.uid !== undefined && (await signals.index('by-uid').getKey(record.uid)) !== undefined) continue;
    await signals.add({ ...record });
    fresh.push(record);
  }
  const rollups = tx.objectStore('rollups');
  for (const row of rollUp(fresh).values()) {
    const have = await rollups.get(row.key);
    await rollups.put(have ? mergeRollup(have, row) : row);
  }
  await tx.done;
  return fresh.length;
}

/** The rollups of the days from `from` to `to` (inclusive, "YYYY-MM-DD"), in key order. */
export function listRollups(db: CoachDatabase, range?: { from?: string; to?: string }): Promise<StoredRollup[]> {
  const { from, to } = range ?? {};
  const query =
    from !== undefined && to !== undefined
      ? IDBKeyRange.bound(from, to)
      : from !== undefined
        ? IDBKeyRange.lowerBound(from)
        : to !== undefined
          ? IDBKeyRange.upperBound(to)
          : undefined;
  return db.getAllFromIndex('rollups', 'by-day', query);
}


export function countSignals(db: CoachDatabase): Promise<number> {
  return db.count('signals');
}

export function listSignals(db: CoachDatabase): Promise<StoredSignal[]> {
  return db.getAll('signals');
}

export async function addComment(db: CoachDatabase, comment: StoredComment): Promise<void> {
  await db.add('comments', { ...comment });
}

export function listComments(db: CoachDatabase): Promise<StoredComment[]> {
  return db.getAll('comments');
}

export interface Pruned {
  /** Rows older than the age limit. */
  age: number;
  /** Oldest rows over the row limit. */
  count: number;
  /** Rollup rows older than their own horizon (not a loss of signals: see ROLLUP_MAX_AGE_DAYS). */
  rollups: number;
}

/**
 * Enforce the bounds in one transaction: drop signals older than `oldestDay`, then the oldest
 * beyond `maxRows`, and rollups older than `oldestRollupDay` (default: keep all).
 */
export async function pruneSignals(
  db: CoachDatabase,
  { maxRows, oldestDay, oldestRollupDay }: { maxRows: number; oldestDay: string; oldestRollupDay?: string },
): Promise<Pruned> {
  const tx = db.transaction(['signals', 'rollups'], 'readwrite');
  const store = tx.objectStore('signals');
  let age = 0;
  for (let cursor = await store.index('by-day').openCursor(IDBKeyRange.upperBound(oldestDay, true)); cursor; cursor = await cursor.continue()) {
    await cursor.delete();
    age += 1;
  }
  let excess = (await store.count()) - maxRows;
  let count = 0;
  for (let cursor = excess > 0 ? await store.openCursor() : null; cursor && excess > 0; cursor = await cursor.continue()) {
    await cursor.delete();
    excess -= 1;
    count += 1;
  }
  let rollups = 0;
  if (oldestRollupDay !== undefined) {
    const index = tx.objectStore('rollups').index('by-day');
    for (let cursor = await index.openCursor(IDBKeyRange.upperBound(oldestRollupDay, true)); cursor; cursor = await cursor.continue()) {
      await cursor.delete();
      rollups += 1;
    }
  }
  await tx.done;
  return { age, count, rollups };
}

/** Everything stored about this user, for "download my data". */
export async function exportAll(db: CoachDatabase): Promise<{ signals: StoredSignal[]; comments: StoredComment[]; rollups: AggregateRow[] }> {
  const [signals, comments, rollups] = await Promise.all([db.getAll('signals'), db.getAll('comments'), db.getAll('rollups')]);
  return { signals: signals.map(({ uid: _uid, ...s }) => s), comments, rollups: rollups.map(toAggregateRow) };
}

/** "Wipe everything now": batches not yet uploaded too (they are this user's data); syncDays stay, so no day is sent twice. */
export async function wipeAll(db: CoachDatabase): Promise<void> {
  const tx = db.transaction(['signals', 'comments', 'rollups', 'outgoing', 'periodCubes', 'meta'], 'readwrite');
  await Promise.all([
    tx.objectStore('signals').clear(),
    tx.objectStore('comments').clear(),
    tx.objectStore('rollups').clear(),
    tx.objectStore('outgoing').clear(),
    tx.objectStore('periodCubes').clear(),
    tx.objectStore('meta').clear(),
    tx.done,
  ]);
}

// ---------------------------------------------------------------- insights' period cubes

const CUBES_TOKEN = 'periodCubesToken';

/** The stored cubes of these periods of one pack (missing periods are absent from the map). */
export async function getPeriodCubes(db: CoachDatabase, pack: string, periods: readonly string[]): Promise<Map<string, unknown>> {
  const tx = db.transaction('periodCubes', 'readonly');
  const found = await Promise.all(periods.map((period) => tx.store.get([pack, period])));
  await tx.done;
  return new Map(found.filter((c) => c !== undefined).map((c) => [c.period, c.cube]));
}

export async function putPeriodCubes(db: CoachDatabase, cubes: readonly StoredPeriodCube[]): Promise<void> {
  if (cubes.length === 0) return;
  const tx = db.transaction('periodCubes', 'readwrite');
  await Promise.all([...cubes.map((c) => tx.store.put(c)), tx.done]);
}

/**
 * Bring the stored cubes up to date for a new change token, in one transaction: `drop` decides,
 * from the stored token, whether to keep all, clear all, or delete the periods for which it
 * returns true (given their pack and period). The new token is stored.
 */
export async function reconcilePeriodCubes<T>(
  db: CoachDatabase,
  token: T,
  decide: (stored: T | undefined) => Promise<'keep' | 'clear' | ((pack: string, period: string) => boolean)>,
): Promise<void> {
  const stored = (await db.get('meta', CUBES_TOKEN))?.value as T | undefined;
  // Deciding may read signals (another transaction), so it happens before the write.
  const verdict = await decide(stored);
  const tx = db.transaction(['periodCubes', 'meta'], 'readwrite');
  const cubes = tx.objectStore('periodCubes');
  if (verdict === 'clear') await cubes.clear();
  else if (verdict !== 'keep') {
    for (let cursor = await cubes.openKeyCursor(); cursor; cursor = await cursor.continue()) {
      const [pack, period] = cursor.key;
      if (verdict(pack, period)) await cubes.delete(cursor.key);
    }
  }
  await tx.objectStore('meta').put({ key: CUBES_TOKEN, value: token });
  await tx.done;
}
