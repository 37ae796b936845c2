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

/** Clear storage.local (progress, settings) from an extension-origin page. */
export async function clearExtensionStorage(extension: Pick<Extension, 'context' | 'extensionId'>): Promise<void> {
  const page = await extension.context.newPage();
  try {
    await page.goto(`chrome-extension://${extension.extensionId}/manifest.json`);
    await page.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { clear(): Promise<void> } } } }).chrome.storage.local.clear());
  } finally {
    await page.close();
  }
}

/** The user's progress as the background stored it (storage.local "progress"). */
export async function readProgress(extension: Extension): Promise<Record<string, any> | undefined> {
  const page = await extension.context.newPage();
  try {
    await page.goto(`chrome-extension://${extension.extensionId}/manifest.json`);
    return await page.evaluate(async () =>
      (await (globalThis as any).chrome.storage.local.get('progress')).progress,
    );
  } finally {
    await page.close();
  }
}

/** All stored signals, read from an extension-origin page (works while the worker is stopped). */
export async function readSignals(extension: Extension): Promise<StoredSignal[]> {
  const page = await extension.context.newPage();
  try {
    await page.goto(`chrome-extension://${extension.extensionId}/manifest.json`);
    return await page.evaluate(async () => {
      // Never create the database from here: that would skip the extension's own upgrade.
      if (!(await indexedDB.databases()).some((d) => d.name === 'crm-coach')) return [];
      return new Promise<StoredSignal[]>((resolve, reject) => {
          const open = indexedDB.open('crm-coach');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('signals')) {
              db.close();
              resolve([]);
              return;
            }
            const req = db.transaction('signals').objectStore('signals').getAll();
            req.onsuccess = () => {
              db.close();
              resolve(req.result);
            };
            req.onerror = () => reject(req.error);
          };
      });
    });
  } finally {
    await page.close();
  }
}

/** The overlay's tooltip for a rule id, in our shadow root (Playwright pierces open roots). */
export const tooltip = (page: Page, ruleId: string) => page.locator(`[role="dialog"][data-rule="${ruleId}"]`);
export const anyTooltip = (page: Page) => page.locator('crm-coach-overlay [role="dialog"]');
