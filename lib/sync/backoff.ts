/**
 * Retry timing: full-jitter exponential backoff ("Exponential Backoff And Jitter", AWS
 * Architecture Blog, 2015): the wait is uniformly random in [0, min(cap, base · 2^attempt)], so
 * many installs that failed together do not come back together. A Retry-After from the
 * collector (seconds, or an HTTP-date) is a floor.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** The wait before retry number `attempt` (0 for the first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 0), 52));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as milliseconds from `now`: "120" (seconds) or an HTTP-date; undefined when absent
 * or unreadable. A date in the past is 0. Bounded by `maxMs` (a collector cannot park us for weeks).
 */
export function parseRetryAfter(value: string | null | undefined, now: number, maxMs = 24 * 3_600_000): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, maxMs);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), maxMs);
}

/** The wait after a failed attempt: the backoff, but never less than the collector asked for. */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  return Math.max(backoffDelay(attempt, policy, random), retryAfterMs ?? 0);
}
