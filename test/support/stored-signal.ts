import type { StoredSignal } from '../../lib/store/database';

/** A valid stored signal (a tip shown on a made-up "acme" pack), with any fields overridden. */
export const storedSignal = (over: Partial<StoredSignal> = {}): StoredSignal => ({
  type: 'tip-shown',
  day: '2026-11-28',
  crm: 'acme',
  pack: 'acme',
  packVersion: '1.0.0',
  screen: 'acme/home',
  rule: 'acme/home.tooltips#hello',
  extensionVersion: '0.1.0',
  ...over,
});
