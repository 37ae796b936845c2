/**
 * The background's writer of signals. Holds one connection (reopened if the browser closes it)
 * and nothing else in memory: the MV3 worker may be stopped at any moment, so every signal is
 * written before its message is answered.
 */
import { addComment, addSignals, openCoachDb, type CoachDatabase, type StoredComment } from '../store/database';
import type { SignalRecord } from '../signals/signal-record';

export class SignalStore {
  private db: Promise<CoachDatabase> | null = null;

  constructor(private readonly open: () => Promise<CoachDatabase> = openCoachDb) {}

  private connection(): Promise<CoachDatabase> {
    if (!this.db) {
      const opening = this.open().then((db) => {
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

  async add(records: readonly SignalRecord[]): Promise<void> {
    await this.write((db) => addSignals(db, records));
  }

  async addComment(comment: StoredComment): Promise<void> {
    await this.write((db) => addComment(db, comment));
  }

  private async write(op: (db: CoachDatabase) => Promise<void>): Promise<void> {
    try {
      await op(await this.connection());
    } catch (error) {
      // A connection closed under us (no close event fires for every cause): reopen once, retry.
      if ((error as DOMException)?.name !== 'InvalidStateError') throw error;
      this.db = null;
      await op(await this.connection());
    }
  }
}
