/**
 * Daily rollups: the running per-day aggregate of the signals, kept up to date as signals are
 * stored (lib/store/database.ts writes them in the same transaction). Insights read these, not
 * the raw events (reading a year of raw signals out of IndexedDB takes tens of seconds), and sync
 * uploads a finished day's rollups as one batch (lib/sync/payload.ts AggregateRow).
 *
 * A rollup is exactly an AggregateRow plus its key: the same fields, the same rules (form-dwell
 * counts go into `durations` by bucket; `detail` is kept only for feedback kinds; rage-click's
 * clicks-per-burst stays out: one signal counts one).
 */
import type { SignalRecord } from '../signals/signal-record';
import type { AggregateRow } from '../sync/payload';
import { rowKey } from '../sync/payload';
import { DWELL_BUCKETS, type DwellBucket } from '../signals/detectors/detection';

export interface StoredRollup extends AggregateRow {
  /** rowKey(row): day|crm|pack|packVersion|screen|rule|type|detail|peer. */
  key: string;
}

const isBucket = (d: string | undefined): d is DwellBucket => d !== undefined && (DWELL_BUCKETS as readonly string[]).includes(d);

/** The rollup row one signal belongs to, with that signal counted once. */
export function rollupOf(signal: SignalRecord): StoredRollup {
  const row: AggregateRow = {
    day: signal.day,
    crm: signal.crm,
    pack: signal.pack,
    packVersion: signal.packVersion,
    screen: signal.screen,
    type: signal.type,
    count: 1,
    ...(signal.rule !== undefined && signal.type !== 'help-opened' && { rule: signal.rule }),
    ...(signal.type === 'feedback' && signal.detail !== undefined && !isBucket(signal.detail) && { detail: signal.detail }),
    ...(signal.peer !== undefined && signal.type === 'back-and-forth' && { peer: signal.peer }),
  };
  if (signal.type === 'form-dwell') row.durations = { [isBucket(signal.detail) ? signal.detail : DWELL_BUCKETS[0]]: 1 };
  return { key: rowKey(row), ...row };
}

/** Add `more` (a row with the same key) into `into`; returns a new row. */
export function mergeRollup(into: StoredRollup, more: StoredRollup): StoredRollup {
  const merged: StoredRollup = { ...into, count: into.count + more.count };
  if (into.durations || more.durations) {
    const durations: NonNullable<AggregateRow['durations']> = { ...into.durations };
    for (const [bucket, n] of Object.entries(more.durations ?? {}) as Array<[DwellBucket, number | undefined]>) {
      durations[bucket] = (durations[bucket] ?? 0) + (n ?? 0);
    }
    merged.durations = durations;
  }
  return merged;
}

/** Fold signals into rollups by key (for a batch of new signals, or a backfill). */
export function rollUp(signals: Iterable<SignalRecord>): Map<string, StoredRollup> {
  const rows = new Map<string, StoredRollup>();
  for (const signal of signals) {
    const row = rollupOf(signal);
    const have = rows.get(row.key);
    rows.set(row.key, have ? mergeRollup(have, row) : row);
  }
  return rows;
}

/** A rollup as it travels: the AggregateRow without the key. */
export function toAggregateRow({ key: _key, ...row }: StoredRollup): AggregateRow {
  return row;
}
