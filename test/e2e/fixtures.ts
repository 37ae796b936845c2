/**
 * Worker-scoped Chromium with the extension, and a worker-scoped demo CRM server; each test gets
 * a fresh page. Helpers read the extension's IndexedDB from an extension-origin page, which keeps
 * working after the service worker was stopped (Playwright's worker handle goes stale then).
 */
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { startDemoCrm } from '../fixtures/demo-crm/server.mjs';

interface Extension {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
}

export const test = base.extend<{ page: Page; crmUrl: string }, { extension: Extension; crm: { url: string } }>({
  crm: [
    async ({}, use) => {
      const server = await startDemoCrm({ port: 0, latencyMs: 300 });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  extension: [
    async ({}, use) => {
      const launched = await launchWithExtension();
      await use(launched);
      await launched.close();
    },
    { scope: 'worker' },
  ],
  crmUrl: async ({ crm }, use) => use(crm.url),
  page: async ({ extension }, use) => {
    // Every test starts as a new user: no progress, no settings (the browser is shared per worker).
    await clearExtensionStorage(extension);
    const page = await extension.context.newPage();
    await use(page);
    await page.close();
  },
});
export { expect };

export interface StoredSignal {
  type: string;
  day: string;
  crm: string;
  pack: string;
  packVersion: string;
  screen: string;
  rule: string;
  extensionVersion: string;
}

type ExtensionPages = Pick<Extension, 'context' | 'extensionId'>;

/**
 * Run `fn` in a page of the extension's own origin (its IndexedDB and storage.local), which keeps
 * working while the service worker is stopped (Playwright's worker handle goes stale then).
 */
async function withExtensionPage<T>(extension: ExtensionPages, fn: (page: Page) => Promise<T>): Promise<T> {
  const page = await extension.context.newPage();
  try {
    await page.goto(`chrome-extension://${extension.extensionId}/manifest.json`);
    return await fn(page);
  } finally {
    await page.close();
  }
}

/** Clear storage.local (progress, settings). */
export function clearExtensionStorage(extension: ExtensionPages): Promise<void> {
  return withExtensionPage(extension, (page) => page.evaluate(() => (globalThis as any).chrome.storage.local.clear()));
}

/** The user's progress as the background stored it (storage.local "progress"). */
export function readProgress(extension: ExtensionPages): Promise<Record<string, any> | undefined> {
  return withExtensionPage(extension, (page) =>
    page.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('progress')).progress),
  );
}

/** Every row of one of the extension's IndexedDB stores ([] before the database exists). */
export function readStore<T = unknown>(extension: ExtensionPages, store: 'signals' | 'comments'): Promise<T[]> {
  return withExtensionPage(extension, (page) =>
    page.evaluate(async (name) => {
      // Never create the database from here: that would skip the extension's own upgrade.
      if (!(await indexedDB.databases()).some((d) => d.name === 'crm-coach')) return [];
      return new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('crm-coach');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            resolve([]);
            return;
          }
          const req = db.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      });
    }, store),
  );
}

/** All stored signals. */
export const readSignals = (extension: ExtensionPages) => readStore<StoredSignal>(extension, 'signals');

/** The overlay's tooltip for a rule id, in our shadow root (Playwright pierces open roots). */
export const tooltip = (page: Page, ruleId: string) => page.locator(`[role="dialog"][data-rule="${ruleId}"]`);
export const anyTooltip = (page: Page) => page.locator('crm-coach-overlay [role="dialog"]');
