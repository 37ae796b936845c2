/**
 * Sync's reads and writes in IndexedDB (the schema itself is lib/store/database.ts, v5). Each
 * function is one transaction, so a worker stopped at any moment leaves either the old state or
 * the new one: a day is marked batched in the same transaction that stores its batch, a batch is
 * replaced by its parts in one transaction, comments are marked in the one that stores theirs.
 */
import type { CoachDatabase, OutgoingBatch, StoredComment, SyncDay } from '../store/database';
import { toAggregateRow } from '../store/rollup';
import type { AggregateRow, UploadBatch } from './payload';

/** Finished days from `from` to `to` (inclusive) not batched yet, with their rows. */
export async function unbatchedDays(db: CoachDatabase, from: string, to: string): Promise<Map<string, AggregateRow[]>> {
  const days = new Map<string, AggregateRow[]>();
  if (from > to) return days;
  const tx = db.transaction(['rollups', 'syncDays']);
  const done = new Set(await tx.objectStore('syncDays').getAllKeys(IDBKeyRange.bound(from, to)));
  for (const rollup of await tx.objectStore('rollups').index('by-day').getAll(IDBKeyRange.bound(from, to))) {
    if (done.has(rollup.day)) continue;
    const rows = days.get(rollup.day) ?? [];
    rows.push(toAggregateRow(rollup));
    days.set(rollup.day, rows);
  }
  await tx.done;
  return days;
}

/**
 * Store a day's batch (or its parts) and mark the day batched, together. False if the day was
 * batched meanwhile (nothing stored): a day is never batched twice.
 */
export async function queueDay(db: CoachDatabase, day: string, batches: UploadBatch[], signals: number): Promise<boolean> {
  const tx = db.transaction(['outgoing', 'syncDays'], 'readwrite');
  if ((await tx.objectStore('syncDays').getKey(day)) !== undefined) {
    await tx.done;
    return false;
  }
  for (const batch of batches) await tx.objectStore('outgoing').add({ batchId: batch.batchId, day, batch });
  await tx.objectStore('syncDays').put({ day, batchId: batches[0]!.batchId, signals } satisfies SyncDay);
  await tx.done;
  return true;
}

/** Comments the user OK'd that are in no batch yet. */
export async function unsentSharedComments(db: CoachDatabase): Promise<Array<StoredComment & { id: number }>> {
  return (await db.getAll('comments')).filter((c): c is StoredComment & { id: number } => c.shared && c.sentIn === undefined && c.id !== undefined);
}

/** Store a batch of comments and mark them as in it, together (a comment unshared meanwhile stays out). */
export async function queueComments(db: CoachDatabase, batch: UploadBatch, ids: number[]): Promise<void> {
  const tx = db.transaction(['outgoing', 'comments'], 'readwrite');
  const comments = tx.objectStore('comments');
  const feedback: NonNullable<UploadBatch['feedback']> = [];
  for (const [i, id] of ids.entries()) {
    const comment = await comments.get(id);
    if (!comment || !comment.shared || comment.sentIn !== undefined) continue;
    await comments.put({ ...comment, sentIn: batch.batchId });
    feedback.push(batch.feedback![i]!);
  }
  if (feedback.length > 0) await tx.objectStore('outgoing').add({ batchId: batch.batchId, batch: { ...batch, feedback } });
  await tx.done;
}

/** The next batch to send (oldest first), skipping those refused for good. */
export async function nextOutgoing(db: CoachDatabase): Promise<OutgoingBatch | undefined> {
  for (let cursor = await db.transaction('outgoing').store.openCursor(); cursor; cursor = await cursor.continue()) {
    if (!cursor.value.rejected) return cursor.value;
  }
  return undefined;
}

export async function listOutgoing(db: CoachDatabase): Promise<OutgoingBatch[]> {
  return db.getAll('outgoing');
}

/** The collector acknowledged it: only now is it deleted. */
export async function ackBatch(db: CoachDatabase, batchId: string): Promise<void> {
  const tx = db.transaction('outgoing', 'readwrite');
  const key = await tx.store.index('by-batch').getKey(batchId);
  if (key !== undefined) await tx.store.delete(key);
  await tx.done;
}

/** 413: the batch is replaced by its parts, in one transaction. */
export async function replaceBatch(db: CoachDatabase, batchId: string, parts: UploadBatch[]): Promise<void> {
  const tx = db.transaction('outgoing', 'readwrite');
  const key = await tx.store.index('by-batch').getKey(batchId);
  const old = key === undefined ? undefined : await tx.store.get(key);
  if (key !== undefined && old) {
    await tx.store.delete(key);
    for (const batch of parts) await tx.store.add({ batchId: batch.batchId, ...(old.day !== undefined && { day: old.day }), batch });
  }
  await tx.done;
}

/** Refused for good (400, 409, unsplittable 413): kept and shown, never resent. */
export async function rejectBatch(db: CoachDatabase, batchId: string, rejected: { status: number; message: string }): Promise<void> {
  const tx = db.transaction('outgoing', 'readwrite');
  const key = await tx.store.index('by-batch').getKey(batchId);
  const old = key === undefined ? undefined : await tx.store.get(key);
  if (old) await tx.store.put({ ...old, rejected });
  await tx.done;
}

/** Signals recorded for days after their batch was made: counted (they cannot be sent; see docs/sync.md). */
export async function lateSignals(db: CoachDatabase): Promise<number> {
  const tx = db.transaction(['rollups', 'syncDays']);
  let late = 0;
  for (const day of await tx.objectStore('syncDays').getAll()) {
    const rows = await tx.objectStore('rollups').index('by-day').getAll(day.day);
    late += Math.max(0, rows.reduce((n, r) => n + r.count, 0) - day.signals);
  }
  await tx.done;
  return late;
}

/** The options page's per-comment share list: newest first, with whether each has left already. */
export async function listCommentsForSharing(db: CoachDatabase): Promise<Array<StoredComment & { id: number }>> {
  return ((await db.getAll('comments')) as Array<StoredComment & { id: number }>).reverse();
}

/** Share or unshare one comment; a comment already in a batch cannot be unshared (false). */
export async function setCommentShared(db: CoachDatabase, id: number, shared: boolean): Promise<boolean> {
  const tx = db.transaction('comments', 'readwrite');
  const comment = await tx.store.get(id);
  let ok = false;
  if (comment && comment.sentIn === undefined) {
    await tx.store.put({ ...comment, shared });
    ok = true;
  }
  await tx.done;
  return ok;
}
