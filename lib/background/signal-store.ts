/**
 * The background's writer of signals and comments. Nothing that matters lives only in memory:
 * the MV3 worker may be stopped at any moment, so a message is answered only after its signals
 * committed. Signals arriving together (a burst from several tabs) share one transaction.
 *
 * Bounded: rows older than `maxAgeDays` and the oldest beyond `maxRows` are dropped, and the
 * exact number dropped, and why, is kept in storage.local "storeHealth" (shown in the popup).
 * A full disk (QuotaExceededError) fails only that write: it is counted, nothing else is lost,
 * and no rejection escapes.
 */
import {
  addComment,
  addSignals,
  openCoachDb,
  pruneSignals,
  ROLLUP_MAX_AGE_DAYS,
  type CoachDatabase,
  type StoredComment,
  type StoredSignal,
} from '../store/database';
import { dayOf } from '../signals/signal-record';
import type { KeyValueArea } from './progress-store';

export interface StoreLimits {
  maxRows: number;
  maxAgeDays: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxRows: 50_000, maxAgeDays: 60 };

export interface StoreHealth {
  dropped: { age: number; count: number };
  /** Writes that failed (full disk, database gone): their signals are lost and counted here. */
  failedWrites: number;
  failedSignals: number;
}

export const HEALTH_KEY = 'storeHealth';
const emptyHealth = (): StoreHealth => ({ dropped: { age: 0, count: 0 }, failedWrites: 0, failedSignals: 0 });
const PRUNE_EVERY = 200;

export class SignalStore {
  private db: Promise<CoachDatabase> | null = null;
  private pending: Array<{ records: readonly StoredSignal[]; resolve: () => void }> = [];
  private flushing: Promise<void> | null = null;
  private sincePrune = PRUNE_EVERY; // prune on the first write after a (re)start
  private healthQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      open?: () => Promise<CoachDatabase>;
      area?: KeyValueArea;
      limits?: StoreLimits;
      now?: () => Date;
    } = {},
  ) {}

  private connection(): Promise<CoachDatabase> {
    if (!this.db) {
      const opening = (this.options.open ?? openCoachDb)().then((db) => {
        // The browser may close the connection (storage pressure, wipe): open anew next time.
        db.addEventListener('close', () => {
          if (this.db === opening) this.db = null;
        });
        return db;
      });
      opening.catch(() => {
        if (this.db === opening) this.db = null;
      });
      this.db = opening;
    }
    return this.db;
  }

  /** Resolves once the records committed (or their failure was counted). Never rejects. */
  add(records: readonly StoredSignal[]): Promise<void> {
    return new Promise((resolve) => {
      this.pending.push({ records, resolve });
      this.flushing ??= Promise.resolve().then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const records = batch.flatMap((b) => b.records);
      try {
        await this.write((db) => addSignals(db, records));
        this.sincePrune += records.length;
        if (this.sincePrune >= PRUNE_EVERY) {
          this.sincePrune = 0;
          await this.prune();
        }
      } catch (error) {
        await this.updateHealth((h) => ({ ...h, failedWrites: h.failedWrites + 1, failedSignals: h.failedSignals + records.length }));
        console.warn('[crm-coach] could not store signals', (error as DOMException)?.name ?? error);
      }
      for (const b of batch) b.resolve();
    }
    this.flushing = null;
  }

  private async prune(): Promise<void> {
    const limits = this.options.limits ?? DEFAULT_LIMITS;
    const now = (this.options.now ?? (() => new Date()))();
    const oldestDay = dayOf(new Date(now.getTime() - limits.maxAgeDays * 86_400_000));
    // Rollups (what insights and sync read) outlive the raw signals; they have their own horizon.
    const oldestRollupDay = dayOf(new Date(now.getTime() - ROLLUP_MAX_AGE_DAYS * 86_400_000));
    const pruned = await this.write((db) => pruneSignals(db, { maxRows: limits.maxRows, oldestDay, oldestRollupDay }));
    if (pruned.age + pruned.count > 0) {
      await this.updateHealth((h) => ({ ...h, dropped: { age: h.dropped.age + pruned.age, count: h.dropped.count + pruned.count } }));
    }
  }

  async addComment(comment: StoredComment): Promise<void> {
    await this.write((db) => addComment(db, comment));
  }

  async health(): Promise<StoreHealth> {
    const area = this.options.area;
    if (!area) return emptyHealth();
    const raw = (await area.get(HEALTH_KEY))[HEALTH_KEY] as Partial<StoreHealth> | undefined;
    return { ...emptyHealth(), ...raw, dropped: { ...emptyHealth().dropped, ...raw?.dropped } };
  }

  private updateHealth(change: (h: StoreHealth) => StoreHealth): Promise<void> {
    const area = this.options.area;
    if (!area) return Promise.resolve();
    const run = this.healthQueue.then(async () => area.set({ [HEALTH_KEY]: change(await this.health()) }));
    this.healthQueue = run.catch(() => {});
    return run.catch(() => {});
  }

  private async write<T>(op: (db: CoachDatabase) => Promise<T>): Promise<T> {
    try {
      return await op(await this.connection());
    } catch (error) {
      // A connection closed under us (no close event fires for every cause): reopen once, retry.
      if ((error as DOMException)?.name !== 'InvalidStateError') throw error;
      this.db = null;
      return op(await this.connection());
    }
  }

  /** For wipe/export: the same connection everything else uses. */
  async use<T>(op: (db: CoachDatabase) => Promise<T>): Promise<T> {
    return this.write(op);
  }
}
