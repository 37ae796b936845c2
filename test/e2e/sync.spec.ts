/**
 * Sync, end to end, against the real collector (SQLite in a temp dir, 127.0.0.1, port 0):
 *   (a) the proof: 500 batches waiting in the extension's IndexedDB go through a flaky proxy
 *       (500, 503, 429 with Retry-After 0/1, never answering, and storing-but-never-answering, in
 *       turn between successes) while the service worker is stopped 20 times at random moments:
 *       the collector ends with every batch exactly once.
 *   (b) a 401 shows the clear error on the options page and is not retried.
 * Backoff and the fetch timeout are shortened through the test-only `syncTuning` setting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CDPSession, Page } from '@playwright/test';
import { configFromEnv, sha256 } from '../../collector/config';
import { createCollector, type Collector } from '../../collector/server';
import { SqliteStorage } from '../../collector/sqlite';
import { startFlakyProxy, type FlakyProxy } from '../support/flaky-proxy';
import { clearExtensionStorage, expect, test } from './fixtures';

// No DOM snapshots in this file's traces. With snapshots on, Playwright's trace recorder also
// records the service worker's network and calls Network.getResponseBody for every upload;
// Chromium 156 kills the whole browser (SIGTRAP, a failed CHECK, nothing printed) when a worker is
// stopped while such a call is pending, so the forced stops below crashed it in most runs.
// Reproduced without Playwright and without this extension: docs/sync.md, "Testing". This setting
// also wins over `--trace on`. Actions, console and screenshots are still traced on failure.
test.use({ trace: { mode: 'retain-on-failure', snapshots: false, screenshots: true, sources: true } });

const TOKEN = 'e2e-org-token-0123456789';
const BATCHES = 500;
const STOPS = 20;

interface Running {
  collector: Collector;
  storage: SqliteStorage;
  path: string;
  dir: string;
}

async function startCollector(extensionId: string): Promise<Running & { url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-coach-sync-e2e-'));
  const path = join(dir, 'collector.sqlite');
  const config = configFromEnv({
    PORT: '0',
    SQLITE_PATH: path,
    ORG_TOKENS: sha256(TOKEN),
    RATE_LIMIT: '100000',
    CORS_ORIGINS: `chrome-extension://${extensionId}`,
  });
  const storage = new SqliteStorage({ path });
  await storage.init();
  const collector = createCollector({ config, storage, log: () => {} });
  const { url } = await collector.listen();
  return { collector, storage, path, dir, url };
}

async function stopCollector(r: Running): Promise<void> {
  await r.collector.close();
  await r.storage.close();
  rmSync(r.dir, { recursive: true, force: true });
}

/** An extension page kept open to drive the test (messages, storage, IndexedDB). */
async function extensionPage(context: import('@playwright/test').BrowserContext, extensionId: string, path = 'manifest.json'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  return page;
}

const message = (page: Page, m: Record<string, unknown>) => page.evaluate((msg) => (globalThis as any).chrome.runtime.sendMessage(msg), m);

/** Seed `n` upload batches (one day of rows each) straight into the outgoing store. */
function seedBatches(page: Page, n: number) {
  return page.evaluate(async (count) => {
    const id = () => {
      const b = crypto.getRandomValues(new Uint8Array(16));
      return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('crm-coach');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction('outgoing', 'readwrite');
    const seeded: Array<{ batchId: string; count: number }> = [];
    for (let i = 0; i < count; i++) {
      const day = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      const batchId = id();
      const rows = [
        { day, crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/contact-list', type: 'rage-click', count: (i % 7) + 1 },
        { day, crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/contact-list', rule: 'demo/contact-list.tooltips#search', type: 'tip-shown', count: 2 },
      ];
      tx.objectStore('outgoing').add({ batchId, day, batch: { format: 1, batchId, contributor: id(), extensionVersion: '0.1.0', rows } });
      seeded.push({ batchId, count: (i % 7) + 3 });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return seeded;
  }, n);
}

/**
 * Stops the extension's service worker as Chrome does at idle (ServiceWorker.stopWorker) and waits
 * for Chrome to report it `stopped`. Resolves false when the worker is not running (nothing to stop).
 *
 * Do not wait for the worker's target to disappear instead: an extension event queued for the worker
 * at that moment (for example storage.onChanged after its own last write) restarts it within a
 * millisecond, and the restarted worker keeps the same target id, so the target may never be seen gone.
 */
async function workerStopper(cdp: CDPSession, extensionId: string) {
  const ours = `chrome-extension://${extensionId}/`;
  const state = { versionId: undefined as string | undefined, status: '', stopped: 0 };
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (!v.scriptURL.startsWith(ours)) continue;
      if (v.runningStatus === 'stopped' && state.status !== 'stopped') state.stopped += 1;
      state.versionId = v.versionId;
      state.status = v.runningStatus;
    }
  });
  await cdp.send('ServiceWorker.enable'); // reports the current versions at once
  return async () => {
    if (state.status !== 'running' || state.versionId === undefined) return false;
    const before = state.stopped;
    await cdp.send('ServiceWorker.stopWorker', { versionId: state.versionId });
    await expect.poll(() => state.stopped > before, { timeout: 5000, intervals: [20] }).toBe(true);
    return true;
  };
}

test('500 batches through a flaky collector with 20 forced worker stops: every batch exactly once', async ({ extension }) => {
  test.setTimeout(120_000);
  await clearExtensionStorage(extension);
  const running = await startCollector(extension.extensionId);
  // Three successes between faults: every kind of fault about 33 times over the sync.
  const proxy: FlakyProxy = await startFlakyProxy(running.url, { cycle: ['ok', 'ok', 'ok', '500', 'ok', 'ok', 'ok', '503', 'ok', 'ok', 'ok', '429', 'ok', 'ok', 'ok', 'hang', 'ok', 'ok', 'ok', 'ack-lost'], retryAfterOneEvery: 10 });
  const driver = await extensionPage(extension.context, extension.extensionId);
  try {
    // Make sure the database exists at the extension's version before seeding it from outside.
    await message(driver, { type: 'sync:status' });
    const seeded = await seedBatches(driver, BATCHES);
    await driver.evaluate(
      ({ endpoint, token }) =>
        (globalThis as any).chrome.storage.local.set({
          syncTuning: { baseMs: 5, capMs: 40, timeoutMs: 150, inWorkerMs: 5000 },
          syncSettings: { enabled: true, endpoint, token },
        }),
      { endpoint: proxy.url, token: TOKEN },
    );
    void message(driver, { type: 'sync:now' }).catch(() => {}); // the reply comes when the run stops; do not wait

    const blank = await extension.context.newPage();
    const cdp = await extension.context.newCDPSession(blank);
    const stop = await workerStopper(cdp, extension.extensionId);
    const acked = () => running.storage.stats().then((s) => s.batches);
    let stops = 0;
    while (stops < STOPS && (await acked()) < BATCHES) {
      // A random moment: let some uploads (and failures) happen, then stop the worker mid-flight.
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 500)));
      if (await stop()) stops += 1;
      expect(driver.isClosed(), 'the driving extension page stays open').toBe(false);
      // Wake it again, as any event would: its start-up run continues the sync (backoff honoured).
      await message(driver, { type: 'sync:status' }).catch(() => {});
    }
    let last: { waiting: number } | undefined;
    await expect
      .poll(async () => (last = (await message(driver, { type: 'sync:status' })) as { waiting: number }).waiting, { timeout: 90_000, intervals: [500] })
      .toBe(0)
      .catch((error: unknown) => {
        console.log('sync status', JSON.stringify(last), JSON.stringify(proxy.counts));
        throw error;
      });
    console.log(`sync: ${stops} worker stops; proxy answers ${JSON.stringify(proxy.counts)}`);
    expect(stops, 'the worker was stopped during the sync').toBe(STOPS);
    for (const fault of ['ok', '500', '503', '429', 'hang', 'ack-lost'] as const) expect(proxy.counts[fault], fault).toBeGreaterThan(0);

    // The collector holds every batch exactly once: the same ids, each once, and the sum of the counts.
    const stats = await running.storage.stats();
    expect(stats.batches).toBe(BATCHES);
    expect(stats.contributors).toBe(BATCHES);
    expect(stats.signals).toBe(seeded.reduce((n, b) => n + b.count, 0));
    const sqlite = new DatabaseSync(running.path, { readOnly: true });
    const ids = (sqlite.prepare('SELECT batch_id FROM batches').all() as Array<{ batch_id: string }>).map((r) => r.batch_id).sort();
    sqlite.close();
    expect(ids).toEqual(seeded.map((b) => b.batchId).sort());
    // Retries and lost acknowledgements happened, yet nothing was stored twice.
    expect(proxy.posts).toBeGreaterThan(BATCHES);
  } finally {
    await driver.close();
    await proxy.close();
    await stopCollector(running);
  }
});

test('a refused token (401): a clear error on the options page, and no retry', async ({ extension }) => {
  test.setTimeout(60_000);
  await clearExtensionStorage(extension);
  const running = await startCollector(extension.extensionId);
  // Every request is forwarded; the proxy only counts them.
  const proxy = await startFlakyProxy(running.url, { cycle: ['ok'] });
  const driver = await extensionPage(extension.context, extension.extensionId);
  try {
    await message(driver, { type: 'sync:status' });
    await seedBatches(driver, 1);
    const options = await extensionPage(extension.context, extension.extensionId, 'options.html#sync');
    await options.getByLabel('Send daily totals to the collector').check();
    await options.getByLabel('Collector address').fill(proxy.url);
    // Plain http to another host is refused, clearly.
    await options.getByLabel(/Collector address/).fill('http://collector.example.com');
    await options.getByLabel(/Upload token/).fill('not-the-org-token');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect(options.getByTestId('sync-notice')).toContainText('Plain http is refused');
    await options.getByLabel(/Collector address/).fill(proxy.url);
    await options.getByRole('button', { name: 'Save' }).click();
    await expect(options.getByTestId('sync-error')).toContainText('The collector refused the token (401)');
    expect(proxy.posts).toBe(1);
    // The token field never shows the saved token again.
    await expect(options.getByLabel(/Upload token/)).toHaveValue('');

    // A worker start (and the alarm) honour the block: restart the worker and wait for its run.
    const before = ((await message(driver, { type: 'sync:status' })) as { lastRunAt: number }).lastRunAt;
    const cdp = await extension.context.newCDPSession(driver);
    const stop = await workerStopper(cdp, extension.extensionId);
    await expect.poll(stop).toBe(true);
    await expect
      .poll(async () => ((await message(driver, { type: 'sync:status' })) as { lastRunAt: number }).lastRunAt, { timeout: 15_000 })
      .toBeGreaterThan(before);
    const status = (await message(driver, { type: 'sync:status' })) as { blocked: boolean; waiting: number };
    expect(status).toMatchObject({ blocked: true, waiting: 1 });
    expect(proxy.posts, 'no retry after a 401').toBe(1);
    expect((await running.storage.stats()).batches).toBe(0);
    await options.close();
  } finally {
    await driver.close();
    await proxy.close();
    await stopCollector(running);
  }
});
