/**
 * The extension's upload side of sync: plain TypeScript with the world injected (fetch, clock,
 * random, storage, the database), so unit tests run it without a browser.
 *
 * One run:
 *   1. Off unless configured (resolveSync). A 401/403 blocks runs until the endpoint or token
 *      changes (or the user presses "Sync now"); a backoff wait is honoured except on "Sync now".
 *   2. Batch what is due, each in ONE transaction with its marker, BEFORE anything is sent:
 *      every finished UTC day from `since` (the day after sync was first configured) whose end
 *      is at least graceMs ago → one batch with a fresh random contributor id (parts if it has
 *      more rows than a batch may carry); comments the user OK'd → batches of comments.
 *   3. Send the stored batches oldest first, one at a time, each exactly as stored:
 *        201 / 200 duplicate   acknowledged → deleted (only now)
 *        413                   split in two parts (same contributor, part paths) and go on
 *        400, 409              refused for good: kept, marked, shown; never resent
 *        401, 403              stop; blocked until the configuration changes
 *        429, 5xx, network, timeout, anything else
 *                              stop; retry after max(full-jitter backoff, Retry-After)
 * A worker stopped anywhere in between loses nothing: an unacknowledged batch is resent as is,
 * and the collector answers `duplicate: true` if it had it.
 */
import type { KeyValueArea } from '../background/progress-store';
import { dayOf } from '../day';
import type { ReadPolicy } from '../policy/policy';
import type { CoachDatabase, OutgoingBatch } from '../store/database';
import { retryDelay } from './backoff';
import { parseRetryAfter } from './backoff';
import { batchesUrl } from './endpoint';
import {
  aggregateRowSchema,
  errorResponseSchema,
  feedbackCommentSchema,
  MAX_FEEDBACK_PER_BATCH,
  MAX_ROWS_PER_BATCH,
  PAYLOAD_FORMAT,
  PART_MAX_DEPTH,
  randomId as defaultRandomId,
  uploadResponseSchema,
  type AggregateRow,
  type FeedbackComment,
  type UploadBatch,
} from './payload';
import {
  readSyncSettings,
  readSyncState,
  readTuning,
  resolveSync,
  SYNC_STATE_KEY,
  type SyncConfig,
  type SyncState,
  type Tuning,
} from './sync-config';
import * as store from './sync-store';

export interface UploaderDeps {
  /** storage.local: settings, state, tuning. */
  area: KeyValueArea;
  /** Runs an op on the background's one database connection (SignalStore.use). */
  db: <T>(op: (db: CoachDatabase) => Promise<T>) => Promise<T>;
  policy: () => Promise<ReadPolicy>;
  fetch: typeof fetch;
  extensionVersion: string;
  now?: () => number;
  random?: () => number;
  randomId?: () => string;
  /** Ask to run again at `at` (ms): the background keeps an in-worker timer for short waits and an alarm. */
  schedule?: (at: number, inWorkerMs: number) => void;
}

export type RunOutcome = 'off' | 'blocked' | 'waiting' | 'done' | 'retry-later';

export type SendResult =
  | { kind: 'ack'; duplicate: boolean }
  | { kind: 'split' }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'auth'; status: number; message: string }
  | { kind: 'retry'; status?: number; message: string; retryAfterMs?: number };

const DAY_MS = 86_400_000;
/** Answers after which a batch is never resent. */
const PERMANENT = new Set([400, 409, 413]);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(day) + n * DAY_MS));

/** Plain words for the options page. */
export function describeFailure(status: number | undefined, message: string): string {
  if (status === 401 || status === 403) return `The collector refused the token (${status}). Check the upload token.`;
  if (status === 400) return `The collector rejected a batch: ${message}`;
  if (status === 409) return `The collector refused a batch it considers already counted (409): ${message}`;
  if (status === 413) return 'The collector refused a batch as too large, and it could not be split further.';
  if (status === 429) return 'The collector asked us to slow down (429); retrying later.';
  if (status !== undefined && status >= 500) return `The collector had a problem (${status}); retrying later.`;
  return message;
}

/** Split rows into two halves as parts `path`+"0" and `path`+"1" (same contributor, new batch ids). */
export function splitBatch(batch: UploadBatch, randomId: () => string): UploadBatch[] | undefined {
  if (batch.rows.length >= 2) {
    const path = batch.part ?? '';
    if (path.length >= PART_MAX_DEPTH) return undefined;
    const half = Math.ceil(batch.rows.length / 2);
    // Comments ride with the first part; they are not counted per contributor.
    const { feedback, ...rest } = batch;
    return [
      { ...rest, batchId: randomId(), part: `${path}0`, rows: batch.rows.slice(0, half), ...(feedback && { feedback }) },
      { ...rest, batchId: randomId(), part: `${path}1`, rows: batch.rows.slice(half) },
    ];
  }
  const feedback = batch.feedback ?? [];
  if (batch.rows.length === 0 && feedback.length >= 2) {
    // Comments only: no contributor is counted, so two independent batches.
    const half = Math.ceil(feedback.length / 2);
    return [feedback.slice(0, half), feedback.slice(half)].map((f) => ({ ...batch, batchId: randomId(), contributor: randomId(), feedback: f }));
  }
  return undefined;
}

/** A day's rows as batches: one, or parts when it has more rows than a batch may carry. */
export function dayBatches(rows: AggregateRow[], base: Omit<UploadBatch, 'rows' | 'batchId'>, randomId: () => string): UploadBatch[] {
  const whole: UploadBatch = { ...base, batchId: randomId(), rows };
  const out: UploadBatch[] = [];
  const pending = [whole];
  while (pending.length > 0) {
    const b = pending.shift()!;
    if (b.rows.length <= MAX_ROWS_PER_BATCH) out.push(b);
    else pending.unshift(...splitBatch(b, randomId)!);
  }
  return out;
}

export class Uploader {
  private running: Promise<RunOutcome> | null = null;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly randomId: () => string;

  constructor(private readonly deps: UploaderDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.randomId = deps.randomId ?? defaultRandomId;
  }

  /** One run at a time per worker; `force` is the user's "Sync now" (ignores backoff and a 401 block). */
  run({ force = false }: { force?: boolean } = {}): Promise<RunOutcome> {
    if (this.running) return force ? this.running.then(() => this.run({ force })) : this.running;
    const run = this.runOnce(force)
      .catch((error: unknown) => this.recover(error))
      .finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  /** Something unexpected (the database closed under us, storage failed): count it as a failed attempt, try again later. */
  private async recover(error: unknown): Promise<RunOutcome> {
    console.warn('[crm-coach] sync run failed', (error as Error)?.name ?? error);
    try {
      const tuning = await readTuning(this.deps.area);
      const s = await this.update((s) => ({
        ...s,
        attempt: s.attempt + 1,
        nextAttemptAt: this.now() + retryDelay(s.attempt, tuning, undefined, this.random),
        lastError: { at: this.now(), message: `Sync stopped on an internal error (${(error as Error)?.name ?? 'error'}); retrying later.` },
      }));
      this.deps.schedule?.(s.nextAttemptAt!, tuning.inWorkerMs);
    } catch {
      // storage itself failed: the periodic alarm tries again
    }
    return 'retry-later';
  }

  async config(): Promise<SyncConfig | undefined> {
    const [settings, policy] = await Promise.all([readSyncSettings(this.deps.area), this.deps.policy()]);
    return resolveSync(settings, policy.policy).config;
  }

  private async update(change: (s: SyncState) => SyncState): Promise<SyncState> {
    const next = change(await readSyncState(this.deps.area));
    await this.deps.area.set({ [SYNC_STATE_KEY]: next });
    return next;
  }

  private async runOnce(force: boolean): Promise<RunOutcome> {
    const config = await this.config();
    const now = this.now();
    let state = await this.update((s) => ({ ...s, lastRunAt: now, ...(config && s.since === undefined && { since: addDays(dayOf(new Date(now)), 1) }) }));
    if (!config) return 'off';
    const tuning = await readTuning(this.deps.area);
    if (!force && state.blocked?.fingerprint === config.fingerprint) return 'blocked';
    if (!force && state.nextAttemptAt !== undefined && state.nextAttemptAt > now) {
      this.deps.schedule?.(state.nextAttemptAt, tuning.inWorkerMs);
      return 'waiting';
    }
    if (state.blocked) state = await this.update(({ blocked: _b, ...s }) => s);
    await this.batchDue(state, tuning);

    for (;;) {
      const next = await this.deps.db(store.nextOutgoing);
      if (!next) {
        await this.update((s) => ({ ...s, attempt: 0, nextAttemptAt: undefined }));
        return 'done';
      }
      const result = await this.send(next, config, tuning);
      switch (result.kind) {
        case 'ack':
          await this.deps.db((db) => store.ackBatch(db, next.batchId));
          await this.update((s) => ({
            ...s,
            attempt: 0,
            nextAttemptAt: undefined,
            // A later success clears a passing trouble, not a batch refused for good (it stays listed).
            lastError: s.lastError?.status !== undefined && PERMANENT.has(s.lastError.status) ? s.lastError : undefined,
            lastUploadAt: this.now(),
            ...(next.day !== undefined && (s.lastUploadDay ?? '') < next.day && { lastUploadDay: next.day }),
          }));
          break;
        case 'split': {
          const parts = splitBatch(next.batch, this.randomId);
          if (parts) await this.deps.db((db) => store.replaceBatch(db, next.batchId, parts));
          else {
            await this.deps.db((db) => store.rejectBatch(db, next.batchId, { status: 413, message: 'too large, cannot be split further' }));
            await this.fail(413, 'too large');
          }
          break;
        }
        case 'rejected':
          await this.deps.db((db) => store.rejectBatch(db, next.batchId, { status: result.status, message: result.message }));
          await this.fail(result.status, result.message);
          break;
        case 'auth':
          await this.update((s) => ({ ...s, blocked: { fingerprint: config.fingerprint, status: result.status } }));
          await this.fail(result.status, result.message);
          return 'blocked';
        case 'retry': {
          const s = await this.update((s) => {
            const delay = retryDelay(s.attempt, tuning, result.retryAfterMs, this.random);
            return { ...s, attempt: s.attempt + 1, nextAttemptAt: this.now() + delay };
          });
          await this.fail(result.status, result.message);
          this.deps.schedule?.(s.nextAttemptAt!, tuning.inWorkerMs);
          return 'retry-later';
        }
      }
    }
  }

  private fail(status: number | undefined, message: string): Promise<SyncState> {
    return this.update((s) => ({ ...s, lastError: { at: this.now(), ...(status !== undefined && { status }), message: describeFailure(status, message) } }));
  }

  /** Batch every finished day and every OK'd comment not batched yet (each in its own transaction). */
  private async batchDue(state: SyncState, tuning: Tuning): Promise<void> {
    const now = this.now();
    // The newest finished day: its end (next midnight UTC) plus the grace period has passed.
    const lastDay = dayOf(new Date(now - tuning.graceMs - DAY_MS));
    const base = { format: PAYLOAD_FORMAT, extensionVersion: this.deps.extensionVersion };
    if (state.since !== undefined) {
      const days = await this.deps.db((db) => store.unbatchedDays(db, state.since!, lastDay));
      let invalid = 0;
      for (const [day, rows] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const valid = rows.filter((r) => aggregateRowSchema.safeParse(r).success);
        invalid += rows.length - valid.length;
        if (valid.length === 0) continue;
        // A new random contributor for every day: the collector can count installs per day, never follow one across days.
        const batches = dayBatches(valid, { ...base, contributor: this.randomId() }, this.randomId);
        const signals = rows.reduce((n, r) => n + r.count, 0);
        await this.deps.db((db) => store.queueDay(db, day, batches, signals));
      }
      if (invalid > 0) await this.update((s) => ({ ...s, invalidRows: s.invalidRows + invalid }));
    }
    const comments = await this.deps.db(store.unsentSharedComments);
    const ready: Array<{ id: number; comment: FeedbackComment }> = [];
    for (const c of comments) {
      const parsed = feedbackCommentSchema.safeParse({ day: c.day, pack: c.pack, rule: c.rule, kind: c.kind, text: c.text });
      if (parsed.success) ready.push({ id: c.id, comment: parsed.data });
    }
    for (let i = 0; i < ready.length; i += MAX_FEEDBACK_PER_BATCH) {
      const chunk = ready.slice(i, i + MAX_FEEDBACK_PER_BATCH);
      const batch: UploadBatch = { ...base, batchId: this.randomId(), contributor: this.randomId(), rows: [], feedback: chunk.map((c) => c.comment) };
      await this.deps.db((db) => store.queueComments(db, batch, chunk.map((c) => c.id)));
    }
  }

  /** POST a body to the collector's batches endpoint with the org token; the JSON answer, if any. */
  private async post(config: SyncConfig, body: string, signal: AbortSignal): Promise<{ response: Response; body: unknown }> {
    const response = await this.deps.fetch(batchesUrl(config.endpoint), {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.token}`, 'Content-Type': 'application/json' },
      body,
      signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    return { response, body: await response.json().catch(() => undefined) };
  }

  /** One POST of a stored batch, exactly as stored, with a timeout below the worker's 30 s limit. */
  async send(outgoing: OutgoingBatch, config: SyncConfig, tuning: Pick<Tuning, 'timeoutMs'>): Promise<SendResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), tuning.timeoutMs);
    try {
      const { response, body } = await this.post(config, JSON.stringify(outgoing.batch), controller.signal);
      const error = errorResponseSchema.safeParse(body);
      const message = error.success ? error.data.message + (error.data.issues?.length ? ` (${error.data.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : '') : `HTTP ${response.status}`;
      if (response.status === 200 || response.status === 201) {
        const ok = uploadResponseSchema.safeParse(body);
        if (ok.success && ok.data.batchId === outgoing.batchId) return { kind: 'ack', duplicate: ok.data.duplicate };
        return { kind: 'retry', status: response.status, message: 'the collector answered something that is not an acknowledgement' };
      }
      if (response.status === 413) return { kind: 'split' };
      if (response.status === 400 || response.status === 409) return { kind: 'rejected', status: response.status, message };
      if (response.status === 401 || response.status === 403) return { kind: 'auth', status: response.status, message };
      return { kind: 'retry', status: response.status, message, retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), this.now()) };
    } catch (error) {
      const timedOut = controller.signal.aborted;
      return { kind: 'retry', message: timedOut ? `The collector did not answer within ${Math.round(tuning.timeoutMs / 1000)} s; retrying later.` : 'The collector could not be reached; retrying later.' };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * "Test connection": an empty batch, which the collector refuses as invalid (400) AFTER checking
   * the token, so nothing is stored. 400 means the address and token work.
   */
  async testConnection(config: SyncConfig, tuning: Pick<Tuning, 'timeoutMs'>): Promise<{ ok: boolean; message: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), tuning.timeoutMs);
    try {
      const { response, body } = await this.post(config, '{}', controller.signal);
      const error = errorResponseSchema.safeParse(body);
      if (response.status === 400 && error.success && error.data.error === 'invalid-batch') return { ok: true, message: 'Connected: the collector accepted the token.' };
      if (response.status === 401 || response.status === 403) return { ok: false, message: describeFailure(response.status, '') };
      if (response.status === 429) return { ok: true, message: 'Connected, but the collector asks us to slow down (429).' };
      return { ok: false, message: `Unexpected answer from the collector (HTTP ${response.status}). Is this a CRM Coach collector address?` };
    } catch {
      return { ok: false, message: controller.signal.aborted ? 'The collector did not answer in time.' : 'The collector could not be reached (address, network, or its CORS_ORIGINS setting).' };
    } finally {
      clearTimeout(timer);
    }
  }
}
