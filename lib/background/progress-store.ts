/**
 * The single writer of the user's progress (storage.local "progress"). Events are applied one at
 * a time through a queue, so two tabs reporting at once cannot lose each other's updates.
 */
import { applyProgressEvent, type Progress, type ProgressEvent } from '../progress/progress';
import { parseProgress } from '../progress/progress-schema';
import { dayOf } from '../signals/signal-record';

export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export const PROGRESS_KEY = 'progress';

export class ProgressStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly area: KeyValueArea,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(): Promise<Progress> {
    return parseProgress((await this.area.get(PROGRESS_KEY))[PROGRESS_KEY]);
  }

  apply(events: readonly ProgressEvent[]): Promise<Progress> {
    const run = this.queue.then(async () => {
      let progress = await this.read();
      const day = dayOf(this.now());
      for (const event of events) progress = applyProgressEvent(progress, event, day);
      await this.area.set({ [PROGRESS_KEY]: progress });
      return progress;
    });
    this.queue = run.catch(() => {});
    return run;
  }
}
