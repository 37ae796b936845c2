/**
 * The one module that owns the IndexedDB schema. Nothing else calls openDB.
 *
 *   crm-coach (version 3)
 *   ├─ signals    key: auto-increment id   value: StoredSignal    index: by-day (day)      [v1]
 *   │                                                            index: by-uid (uid, unique) [v3]
 *   │             uid: random per signal, made by the sender, so a retried message (the worker
 *   │             was stopped before it could answer) is stored once
 *   └─ comments   key: auto-increment id   value: StoredComment   index: by-day (day)      [v2]
 *                 feedback comments, scrubbed, kept apart from signals; `shared` stays false
 *                 until the user explicitly OKs sending one
 *
 * Upgrades are additive and run in order from any earlier version (see `upgrade`; the unit
 * tests open databases created by every earlier version).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SignalRecord } from '../signals/signal-record';

export const DB_NAME = 'crm-coach';
export const DB_VERSION = 3;

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
    },
  });
}

/**
 * Store signals in one transaction; resolves when it committed. Signals whose uid is already
 * stored are skipped (a retry after a lost reply). Returns how many were new.
 */
export async function addSignals(db: CoachDatabase, records: readonly StoredSignal[]): Promise<number> {
  const tx = db.transaction('signals', 'readwrite');
  let added = 0;
  for (const record of records) {
    if (record.uid !== undefined && (await tx.store.index('by-uid').getKey(record.uid)) !== undefined) continue;
    await tx.store.add({ ...record });
    added += 1;
  }
  await tx.done;
  return added;
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
}

/** Enforce the bounds: drop rows older than `oldestDay`, then the oldest beyond `maxRows`. */
export async function pruneSignals(db: CoachDatabase, { maxRows, oldestDay }: { maxRows: number; oldestDay: string }): Promise<Pruned> {
  const tx = db.transaction('signals', 'readwrite');
  let age = 0;
  for (let cursor = await tx.store.index('by-day').openCursor(IDBKeyRange.upperBound(oldestDay, true)); cursor; cursor = await cursor.continue()) {
    await cursor.delete();
    age += 1;
  }
  let excess = (await tx.store.count()) - maxRows;
  let count = 0;
  for (let cursor = excess > 0 ? await tx.store.openCursor() : null; cursor && excess > 0; cursor = await cursor.continue()) {
    await cursor.delete();
    excess -= 1;
    count += 1;
  }
  await tx.done;
  return { age, count };
}

/** Everything stored about this user, for "download my data". */
export async function exportAll(db: CoachDatabase): Promise<{ signals: StoredSignal[]; comments: StoredComment[] }> {
  const [signals, comments] = await Promise.all([db.getAll('signals'), db.getAll('comments')]);
  return { signals: signals.map(({ uid: _uid, ...s }) => s), comments };
}

/** "Wipe everything now". */
export async function wipeAll(db: CoachDatabase): Promise<void> {
  const tx = db.transaction(['signals', 'comments'], 'readwrite');
  await Promise.all([tx.objectStore('signals').clear(), tx.objectStore('comments').clear(), tx.done]);
}
