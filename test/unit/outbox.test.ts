import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newUid, Outbox } from '../../lib/content/outbox';
import type { SignalInput } from '../../lib/messages';

const signal: SignalInput = { type: 'tip-shown', pack: 'p', screen: 'p/s', rule: 'p/s.tooltips#t' };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Outbox', () => {
  it('retries a failed send with the same uid until it is answered', async () => {
    const calls: string[] = [];
    let failures = 2;
    const outbox = new Outbox({
      signal: new AbortController().signal,
      send: async (_s, uid) => {
        calls.push(uid);
        if (failures-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
        return { ok: true };
      },
    });
    outbox.push(signal);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(3);
    expect(new Set(calls).size).toBe(1); // one uid: the background stores it once
    expect(outbox.pending).toBe(0);
  });

  it('does not retry what the background rejected, and gives up after its attempts', async () => {
    const rejected = vi.fn(async () => ({ error: 'unknown ids' }));
    const outbox = new Outbox({ signal: new AbortController().signal, send: rejected });
    outbox.push(signal);
    await vi.runAllTimersAsync();
    expect(rejected).toHaveBeenCalledTimes(1);

    const down = vi.fn(async () => {
      throw new Error('worker gone');
    });
    const stubborn = new Outbox({ signal: new AbortController().signal, send: down, maxAttempts: 4 });
    stubborn.push(signal);
    await vi.runAllTimersAsync();
    expect(down).toHaveBeenCalledTimes(4);
    expect(stubborn.pending).toBe(0);
  });

  it('gives each signal its own random uid', () => {
    const uids = new Set(Array.from({ length: 1000 }, () => newUid()));
    expect(uids.size).toBe(1000);
    for (const uid of uids) expect(uid).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
