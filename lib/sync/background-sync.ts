/**
 * Sync's wiring in the background worker: a periodic alarm, an attempt at every worker start
 * (both honour the backoff), a retry timer in the running worker for short waits (an alarm as
 * the backstop when the worker is stopped), and the `sync:` page route.
 */
import type { KeyValueArea } from '../background/progress-store';
import type { ReadPolicy } from '../policy/policy';
import type { CoachDatabase } from '../store/database';
import { createSyncPageHandler } from './sync-page';
import { Uploader } from './uploader';

export const SYNC_ALARM = 'sync:upload';
export const SYNC_RETRY_ALARM = 'sync:retry';
/** How often a running browser looks for a finished day or a due retry. */
export const SYNC_PERIOD_MINUTES = 30;

export interface AlarmsApi {
  get(name: string): Promise<unknown>;
  create(name: string, info: { periodInMinutes?: number; delayInMinutes?: number; when?: number }): Promise<void> | void;
  onAlarm: { addListener(listener: (alarm: { name: string }) => void): void };
}

export function startSync(deps: {
  area: KeyValueArea;
  db: <T>(op: (db: CoachDatabase) => Promise<T>) => Promise<T>;
  policy: () => Promise<ReadPolicy>;
  alarms: AlarmsApi;
  extensionVersion: string;
  fetch?: typeof fetch;
}): (message: unknown) => Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () =>
    void uploader.run().catch((error: unknown) => console.warn('[crm-coach] sync run failed', (error as Error)?.name ?? error));
  const uploader: Uploader = new Uploader({
    area: deps.area,
    db: deps.db,
    policy: deps.policy,
    fetch: deps.fetch ?? ((...args) => fetch(...args)),
    extensionVersion: deps.extensionVersion,
    schedule: (at, inWorkerMs) => {
      const delay = Math.max(0, at - Date.now());
      clearTimeout(timer);
      if (delay <= inWorkerMs) timer = setTimeout(run, delay);
      // If the worker is stopped meanwhile; Chrome fires alarms at most every 30 s.
      void deps.alarms.create(SYNC_RETRY_ALARM, { when: Math.max(at, Date.now() + 30_000) });
    },
  });
  void Promise.resolve(deps.alarms.get(SYNC_ALARM)).then((existing) => {
    if (!existing) void deps.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES, delayInMinutes: 1 });
  });
  deps.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM || alarm.name === SYNC_RETRY_ALARM) run();
  });
  run(); // every worker start: due batches go without waiting for the alarm (backoff honoured)
  return createSyncPageHandler({ area: deps.area, db: deps.db, policy: deps.policy, uploader });
}
