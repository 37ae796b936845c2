import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryDelay } from '../../lib/sync/backoff';
import { checkEndpoint, isLoopbackHost } from '../../lib/sync/endpoint';
import { resolveSync } from '../../lib/sync/sync-config';

const policy = { baseMs: 1000, capMs: 30 * 60_000 };

describe('full-jitter backoff', () => {
  it('stays within [0, min(cap, base·2^attempt)) and reaches the bounds at random = 0 and → 1', () => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(0);
      const top = backoffDelay(attempt, policy, () => 0.999999);
      expect(top).toBeLessThan(ceiling);
      expect(top).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.999));
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, policy);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });

  it('is capped (30 min by default) even for absurd attempt counts', () => {
    expect(backoffDelay(10_000, policy, () => 0.999999)).toBeLessThan(policy.capMs);
    expect(backoffDelay(10_000, policy, () => 0.999999)).toBeGreaterThan(policy.capMs - 10);
    expect(backoffDelay(11, policy, () => 0.5)).toBe(Math.floor(0.5 * Math.min(policy.capMs, 1000 * 2048)));
  });

  it('is jittered: random draws give different waits', () => {
    const draws = new Set(Array.from({ length: 100 }, () => backoffDelay(8, policy)));
    expect(draws.size).toBeGreaterThan(50);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  it('seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
  });
  it('an HTTP-date, in the future or the past', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('absent or unreadable: undefined; bounded', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('99999999', now)).toBe(24 * 3_600_000);
  });
  it('is a floor under the backoff, never a ceiling', () => {
    expect(retryDelay(0, policy, 60_000, () => 0.9)).toBe(60_000);
    expect(retryDelay(20, policy, 1000, () => 0.9)).toBe(Math.floor(0.9 * policy.capMs));
  });
});

describe('endpoint: https, or http only on loopback', () => {
  it.each(['https://collector.example.com', 'https://10.0.0.5:8443/base', 'http://127.0.0.1:8787', 'http://127.5.6.7', 'http://localhost:9000', 'http://[::1]:8787'])(
    'accepts %s',
    (url) => expect(checkEndpoint(url).ok).toBe(true),
  );
  it.each([
    ['http://collector.example.com', /Plain http is refused/],
    ['http://10.0.0.5', /Plain http is refused/],
    ['http://127.0.0.1.evil.example', /Plain http is refused/],
    ['ftp://127.0.0.1', /Only https/],
    ['not a url', /not a web address/],
    ['https://user:pw@collector.example.com', /user name or password/],
    ['https://collector.example.com/?token=x', /must not contain/],
  ])('refuses %s with a clear message', (url, message) => {
    const r = checkEndpoint(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
  it('loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('policy locks sync settings', () => {
  const mine = { enabled: false, endpoint: 'https://mine.example.com', token: 'my-own-token' };
  it('policy endpoint and token win, are locked, and turn sync on', () => {
    const r = resolveSync(mine, { syncEndpoint: 'https://org.example.com', syncToken: 'org-token-123' });
    expect(r.endpoint).toEqual({ value: 'https://org.example.com', locked: true });
    expect(r.token).toEqual({ set: true, locked: true });
    expect(r.enabled).toEqual({ value: true, locked: true });
    expect(r.config?.endpoint.host).toBe('org.example.com');
    expect(r.config?.token).toBe('org-token-123');
  });
  it('one key by policy locks that one only; the user still decides whether sync is on', () => {
    const r = resolveSync(mine, { syncEndpoint: 'https://org.example.com' });
    expect(r.endpoint.locked).toBe(true);
    expect(r.token).toEqual({ set: true, locked: false });
    expect(r.enabled).toEqual({ value: false, locked: false });
    expect(r.config).toBeUndefined();
    expect(resolveSync({ ...mine, enabled: true }, { syncEndpoint: 'https://org.example.com' }).config?.token).toBe('my-own-token');
  });
  it('off until configured; a bad endpoint says why', () => {
    expect(resolveSync({ enabled: false }, {}).config).toBeUndefined();
    expect(resolveSync({ enabled: true }, {}).problem).toMatch(/No collector address/);
    expect(resolveSync({ enabled: true, endpoint: 'http://collector.example.com', token: 'abcdefgh' }, {}).problem).toMatch(/Plain http/);
    const a = resolveSync({ enabled: true, endpoint: 'https://a.example.com', token: 'abcdefgh' }, {}).config!;
    const b = resolveSync({ enabled: true, endpoint: 'https://a.example.com', token: 'abcdefgi' }, {}).config!;
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });
});
