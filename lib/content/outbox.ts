/**
 * Signals leave the content script through an outbox: each gets a random uid, and a send that
 * fails (the service worker was stopped mid-message, the extension is restarting) is retried
 * with backoff. The background stores a uid once, so a retry after a lost reply duplicates
 * nothing. The uid is random per signal: it says nothing about the person.
 */
import type { SignalInput } from '../messages';

export interface OutboxOptions {
  send: (signal: SignalInput, uid: string) => Promise<unknown>;
  signal: AbortSignal;
  maxAttempts?: number;
  baseDelayMs?: number;
  randomBytes?: (n: number) => Uint8Array;
}

export function newUid(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return btoa(String.fromCharCode(...randomBytes(16)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export class Outbox {
  private inFlight = 0;

  constructor(private readonly options: OutboxOptions) {}

  get pending(): number {
    return this.inFlight;
  }

  push(signal: SignalInput): void {
    const uid = newUid(this.options.randomBytes);
    this.inFlight += 1;
    void this.attempt(signal, uid, 1);
  }

  private async attempt(signal: SignalInput, uid: string, n: number): Promise<void> {
    const { maxAttempts = 6, baseDelayMs = 250 } = this.options;
    try {
      const reply = (await this.options.send(signal, uid)) as { error?: string } | undefined;
      // A rejection by the background (unknown ids, malformed) will not get better: drop it.
      if (reply === undefined && n < maxAttempts) throw new Error('no reply');
      this.inFlight -= 1;
    } catch {
      if (this.options.signal.aborted || n >= maxAttempts) {
        this.inFlight -= 1;
        return;
      }
      const delay = baseDelayMs * 2 ** (n - 1) * (0.5 + Math.random() / 2);
      setTimeout(() => void this.attempt(signal, uid, n + 1), delay);
    }
  }
}
