import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDB } from 'idb';
import { SignalStore } from '../../lib/background/signal-store';
import { createMessageHandler } from '../../lib/background/handle-message';
import { ProgressStore } from '../../lib/background/progress-store';
import { readContext, readSettings, updateSettings } from '../../lib/background/settings';
import { compileRules } from '../../lib/rules/compile';
import { addSignals, countSignals, DB_NAME, DB_VERSION, listRollups, listSignals, openCoachDb, type StoredSignal } from '../../lib/store/database';
import { storedSignal } from '../support/stored-signal';

const record = storedSignal;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  fakeBrowser.reset();
});

describe('schema migrations', () => {
  for (let from = 1; from < DB_VERSION; from++) {
    it(`upgrades a version ${from} database without losing rows`, async () => {
      const old = await openCoachDb(from);
      // From v4 on a signal write updates its rollup too (as the extension of that version did).
      if (from >= 4) await addSignals(old, [record({ day: '2026-11-01' })]);
      else await old.add('signals', record({ day: '2026-11-01' }) as never);
      old.close();
      const db = await openCoachDb();
      expect(db.version).toBe(DB_VERSION);
      expect([...db.objectStoreNames].sort()).toEqual(['comments', 'meta', 'outgoing', 'periodCubes', 'rollups', 'signals', 'syncDays']);
      // v5: upload batches (unique batch ids) and the days already batched, empty after the upgrade.
      expect(db.transaction('outgoing').store.index('by-batch').unique).toBe(true);
      expect(await db.count('outgoing')).toBe(0);
      expect(await db.count('syncDays')).toBe(0);
      // The rollups were backfilled from the signals that were there.
      expect(await listRollups(db)).toEqual([expect.objectContaining({ day: '2026-11-01', type: 'tip-shown', count: 1 })]);
      expect(await listSignals(db)).toEqual([{ ...record({ day: '2026-11-01' }), id: 1 }]);
      // New rows with a uid are deduplicated against the new index; old rows without one stay.
      const store = new SignalStore();
      await store.add([record({ uid: 'aaaaaaaaaaaaaaaa' }), record({ uid: 'aaaaaaaaaaaaaaaa' })]);
      expect(await countSignals(db)).toBe(2);
    });
  }

  it('the version-1 layout is what version 1 really created', async () => {
    // A hand-made v1 database (not through our module) opens and upgrades too.
    const v1 = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('signals', { keyPath: 'id', autoIncrement: true }).createIndex('by-day', 'day');
      },
    });
    v1.close();
    expect((await openCoachDb()).version).toBe(DB_VERSION);
  });
});

describe('SignalStore', () => {
  it('stores a retried signal once (same uid), and batches concurrent writes into one transaction', async () => {
    const db = await openCoachDb();
    const spy = vi.spyOn(db, 'transaction');
    const store = new SignalStore({ open: async () => db });
    await Promise.all([
      store.add([record({ uid: 'uid-0000000000000001' })]),
      store.add([record({ uid: 'uid-0000000000000002' })]),
      store.add([record({ uid: 'uid-0000000000000001' })]),
    ]);
    // One write transaction for the three messages, one for the bounds check after a start.
    expect(spy.mock.calls.filter(([, mode]) => mode === 'readwrite')).toHaveLength(2);
    expect(await countSignals(db)).toBe(2);
  });

  it('drops rows past the age and count limits, and counts exactly what it dropped and why', async () => {
    const area = fakeBrowser.storage.local;
    const store = new SignalStore({ area, limits: { maxRows: 5, maxAgeDays: 30 }, now: () => new Date('2026-11-28T12:00:00Z') });
    await store.add([
      record({ day: '2026-09-01' }),
      record({ day: '2026-10-28' }), // exactly 31 days: too old
      record({ day: '2026-10-29' }), // 30 days: kept
      ...Array.from({ length: 6 }, () => record({ day: '2026-11-28' })),
    ]);
    const db = await openCoachDb();
    expect(await countSignals(db)).toBe(5);
    expect((await listSignals(db)).map((s) => s.day)).toEqual(Array(5).fill('2026-11-28'));
    expect(await store.health()).toEqual({ dropped: { age: 2, count: 2 }, failedWrites: 0, failedSignals: 0 });
  });

  it('survives a full disk: the failed write is counted, later writes still land, nothing rejects', async () => {
    const area = fakeBrowser.storage.local;
    const db = await openCoachDb();
    const real = db.transaction.bind(db);
    let full = true;
    vi.spyOn(db, 'transaction').mockImplementation(((...args: Parameters<typeof real>) => {
      if (full && args[1] === 'readwrite') throw new DOMException('disk full', 'QuotaExceededError');
      return real(...args);
    }) as typeof real);
    const store = new SignalStore({ area, open: async () => db });
    await expect(store.add([record(), record()])).resolves.toBeUndefined();
    full = false;
    await store.add([record()]);
    expect(await countSignals(db)).toBe(1);
    expect(await store.health()).toMatchObject({ failedWrites: 1, failedSignals: 2 });
  });
});

describe('pause', () => {
  const { bundle } = compileRules([
    { path: 'acme/pack.yaml', text: 'format: 1\nname: Acme\nversion: 1.0.0\ncrm: acme\nhosts: ["*.acme.example"]\nlocales: [en]\ndefaultLocale: en\n' },
    { path: 'acme/home.screen.yaml', text: 'title: Home\nurl: [{ path: / }]\ntestUrls: [https://eu.acme.example/]\n' },
    { path: 'acme/home.tooltips.yaml', text: 'hello:\n  target: { css: h1 }\n  text: Hi\n' },
  ]);
  const handler = () =>
    createMessageHandler({
      bundle: () => bundle,
      storeSignals: (r) => new SignalStore().add(r),
      storeComment: async () => {},
      injectOverlay: async () => {},
      progress: new ProgressStore(fakeBrowser.storage.local),
      context: () => readContext(fakeBrowser.storage.local),
      settings: () => readSettings(fakeBrowser.storage.local),
      extensionVersion: '0.1.0',
      log: () => {},
    });
  const sender = { url: 'https://eu.acme.example/', tabId: 1 };
  const shown = { type: 'signal:record', signal: { type: 'tip-shown', pack: 'acme', screen: 'acme/home', rule: 'acme/home.tooltips#hello' } };
  const health = { type: 'signal:record', signal: { type: 'rule-missing', pack: 'acme', screen: 'acme/home', rule: 'acme/home.tooltips#hello' } };

  it('paused means nothing is stored; per category pauses only that category', async () => {
    const handle = handler();
    await updateSettings(fakeBrowser.storage.local, (s) => ({ ...s, paused: { all: true, categories: [] } }));
    expect(await handle(shown, sender)).toEqual({ ok: true, paused: true });
    expect(await countSignals(await openCoachDb())).toBe(0);
    await updateSettings(fakeBrowser.storage.local, (s) => ({ ...s, paused: { all: false, categories: ['guidance'] } }));
    await handle(shown, sender);
    await handle(health, sender);
    expect((await listSignals(await openCoachDb())).map((s) => s.type)).toEqual(['rule-missing']);
  });
});
