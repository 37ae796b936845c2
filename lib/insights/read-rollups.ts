/**
 * Reading only what a query needs out of the rollups store, through the signal store's connection
 * (this module opens nothing; lib/store/database.ts owns the schema and could host these two).
 *
 * A rollup's primary key is rowKey(row) = "day|crm|pack|packVersion|screen|rule|type|detail|peer"
 * (lib/sync/payload.ts): the prefix "day|crm|pack|" selects one pack's rows of one day, so a
 * pack's rows are read by key range, day by day, without touching the other packs' rows (the
 * by-day index would read them all). Pack and CRM ids are [a-z0-9-]: "|" cannot occur in them.
 */
import type { CoachDatabase, StoredRollup } from '../store/database';
import type { ChangeToken } from './period-cubes';

const DAY_MS = 86_400_000;

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** One pack's rollups of the given days (all requests in one read-only transaction). */
export async function readPackRollups(db: CoachDatabase, q: { crm: string; pack: string; days: readonly string[] }): Promise<StoredRollup[]> {
  const tx = db.transaction('rollups', 'readonly');
  const lists = await Promise.all(
    q.days.map((day) => {
      const prefix = `${day}|${q.crm}|${q.pack}|`;
      return tx.store.getAll(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
    }),
  );
  await tx.done;
  return lists.flat();
}

/** The cache's change token: two key lookups (lib/insights/period-cubes.ts ChangeToken). */
export async function changeToken(db: CoachDatabase): Promise<ChangeToken> {
  const tx = db.transaction(['rollups', 'signals'], 'readonly');
  const [firstRollup, lastSignal] = await Promise.all([tx.objectStore('rollups').openKeyCursor(), tx.objectStore('signals').openKeyCursor(null, 'prev')]);
  await tx.done;
  return { ...(firstRollup && { firstRollup: firstRollup.key }), ...(lastSignal && { lastSignal: lastSignal.key }) };
}

/** The days of the signals stored after id `after`; undefined if more than `limit` (then: drop all). */
export async function signalDaysAfter(db: CoachDatabase, after: number, limit = 20_000): Promise<Set<string> | undefined> {
  const signals = await db.getAll('signals', IDBKeyRange.lowerBound(after, true), limit + 1);
  return signals.length > limit ? undefined : new Set(signals.map((s) => s.day));
}
