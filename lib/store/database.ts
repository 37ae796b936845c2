/**
 * The one module that owns the IndexedDB schema. Nothing else calls openDB.
 *
 *   crm-coach (version 2)
 *   ├─ signals    key: auto-increment id   value: SignalRecord    index: by-day (day)      [v1]
 *   └─ comments   key: auto-increment id   value: StoredComment   index: by-day (day)      [v2]
 *                 feedback comments, scrubbed, kept apart from signals; `shared` stays false
 *                 until the user explicitly OKs sending one
 *
 * Upgrades are additive and run in order from any earlier version (see `upgrade`).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SignalRecord } from '../signals/signal-record';

export const DB_NAME = 'crm-coach';
export const DB_VERSION = 2;

export interface StoredSignal extends SignalRecord {
  id?: number;
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
    indexes: { 'by-day': string };
  };
  comments: {
    key: number;
    value: StoredComment;
    indexes: { 'by-day': string };
  };
}

export type CoachDatabase = IDBPDatabase<CoachDB>;

export function openCoachDb(): Promise<CoachDatabase> {
  return openDB<CoachDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const signals = db.createObjectStore('signals', { keyPath: 'id', autoIncrement: true });
        signals.createIndex('by-day', 'day');
      }
      if (oldVersion < 2) {
        const comments = db.createObjectStore('comments', { keyPath: 'id', autoIncrement: true });
        comments.createIndex('by-day', 'day');
      }
    },
  });
}

/** Store signals in one transaction; resolves when it committed. */
export async function addSignals(db: CoachDatabase, records: readonly SignalRecord[]): Promise<void> {
  const tx = db.transaction('signals', 'readwrite');
  await Promise.all([...records.map((r) => tx.store.add({ ...r })), tx.done]);
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
