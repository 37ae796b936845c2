/**
 * The insights page against the built extension: 30 days of rollups in this browser's IndexedDB
 * (seeded from an extension page) and 30 contributors in a real collector (SQLite, 127.0.0.1,
 * port 0). Every view renders a chart and a table; a filter change updates both; the CSV export
 * has the expected rows and no cell under k; 3 days / 3 contributors show only hidden cells.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { configFromEnv, sha256 } from '../../collector/config';
import { createCollector } from '../../collector/server';
import { SqliteStorage } from '../../collector/sqlite';
import { randomId, rowKey, type AggregateRow } from '../../lib/sync/payload';
import { expect, test } from './fixtures';

const VIEWS = ['friction', 'targets', 'walkthroughs', 'tips', 'stages', 'health', 'feedback'];
const ORG = 'org-token-0123456789abcdef';
const MANAGER = 'manager-token-0123456789abcdef';

/** A past month with at least 30 days, so 30 days of data fit in one period. */
function month(): { period: string; days: string[] } {
  const now = new Date();
  for (let back = 1; ; back += 1) {
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth() - back;
    const first = new Date(Date.UTC(y, m, 1));
    const length = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    if (length < 30) continue;
    const days = Array.from({ length: 30 }, (_, i) => new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10));
    return { period: days[0]!.slice(0, 7), days };
  }
}

function dayRows(day: string, pack = 'demo'): AggregateRow[] {
  const base = { day, crm: 'demo', pack, packVersion: '1.0.0' };
  return [
    { ...base, screen: 'demo/contact-list', type: 'rage-click', rule: 'demo/contact-list.tooltips#search', count: 3 },
    { ...base, screen: 'demo/contact-list', type: 'dead-click', count: 2 },
    { ...base, screen: 'demo/contact-list', type: 'tip-shown', rule: 'demo/contact-list.tooltips#search', count: 2 },
    { ...base, screen: 'demo/contact-list', type: 'feedback', rule: 'demo/contact-list.tooltips#search', detail: 'helpful', count: 1 },
    { ...base, screen: 'demo/contact-list', type: 'rule-missing', rule: 'demo/contact-list.tooltips#search', count: 1 },
  ] as AggregateRow[];
}

async function seedLocal(page: Page, extensionId: string, rows: AggregateRow[]) {
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);
  // The background opens (and creates) the database: ask it something first.
  await expect
    .poll(() => page.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'insights:local', pack: 'demo', period: '2026-01', trend: 1 }).then((r: any) => r?.source)))
    .toBe('local');
  await page.evaluate(async (list) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('crm-coach');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    if (!db.objectStoreNames.contains('rollups')) throw new Error('no rollups store: open the extension first');
    // Rollups written behind the signal store's back: the background caches finished periods and
    // learns of changes from new signals (lib/insights/period-cubes.ts), so store one signal for
    // each day seeded, as the real writer would have.
    const tx = db.transaction(['rollups', 'signals'], 'readwrite');
    tx.objectStore('rollups').clear();
    for (const r of list) tx.objectStore('rollups').put(r);
    for (const day of new Set(list.map((r) => r.day))) {
      tx.objectStore('signals').add({ type: 'help-opened', day, crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/contact-list', extensionVersion: '0.1.0' });
    }
    await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
    db.close();
  }, rows.map((r) => ({ key: rowKey(r), ...r })));
}

async function openInsights(page: Page, extensionId: string, period: string) {
  await page.goto(`chrome-extension://${extensionId}/insights.html`);
  await page.getByTestId('pack').selectOption('demo');
  await page.getByTestId('period').selectOption(period);
}

test.describe('insights page', () => {
  test('this browser: 30 days render every view; a filter updates; CSV has no cell under k', async ({ page, extension }) => {
    const { period, days } = month();
    await seedLocal(page, extension.extensionId, days.flatMap((d) => dayRows(d)));
    await openInsights(page, extension.extensionId, period);
    for (const view of VIEWS) {
      const section = page.locator(`section[data-view="${view}"]`);
      await expect(section.locator('table')).toBeVisible();
      if ((await section.locator('tbody tr').count()) > 0) await expect(section.locator('svg').first()).toBeVisible();
    }
    // friction, targets, tips, health and feedback have data: their charts draw something.
    for (const view of ['friction', 'targets', 'tips', 'health', 'feedback']) {
      await expect(page.locator(`section[data-view="${view}"] svg path, section[data-view="${view}"] svg rect`).first()).toBeAttached();
    }
    const friction = page.getByTestId('table-friction');
    await expect(friction).toContainText('90'); // 30 days × 3 rage clicks
    await expect(page.getByTestId('table-tips')).toContainText('60');

    // Filter: a week instead of the month: the table and chart change.
    await page.getByTestId('granularity').selectOption('week');
    const weekOf = (await page.getByTestId('period').locator('option').allTextContents()).find(Boolean)!;
    expect(weekOf).toMatch(/W\d\d/);
    await expect(friction).not.toContainText('90');

    // Back to the month; CSV export of the friction view.
    await page.getByTestId('granularity').selectOption('month');
    await page.getByTestId('period').selectOption(period);
    await expect(friction).toContainText('90');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('section[data-view="friction"]').getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('from,to,sources,k,screen,dead-click,rage-click,total');
    expect(lines.slice(1).every((l) => l.startsWith(`${days[0]},`) && l.includes(',this browser,5,'))).toBe(true);
    expect(lines.filter((l) => l.endsWith(',60,90,150'))).toHaveLength(2); // the screen's row and the total row
    expect(csv).not.toMatch(/fewer than/);
  });

  test('this browser: a stage, CRM or pack filter updates chart and table', async ({ page, extension }) => {
    const { period, days } = month();
    // The demo pack's stage "week-1" lists one tip; a second tip is in no stage.
    await page.goto(`chrome-extension://${extension.extensionId}/manifest.json`);
    const meta = (await page.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'insights:meta' }))) as { packs: { id: string; crm: string; stages: { id: string; checklist: string[] }[] }[] };
    const demo = meta.packs.find((p) => p.id === 'demo')!;
    const stageTip = demo.stages.find((s) => s.id === 'week-1')!.checklist.find((c) => c.includes('#'))!;
    const otherTip = 'demo/contact-list.tooltips#search';
    expect(stageTip).not.toBe(otherTip);
    const webcrm = meta.packs.find((p) => p.crm === 'webcrm')!;
    const rows = days.flatMap((d) => [
      ...dayRows(d),
      { day: d, crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/contact-record', type: 'tip-shown', rule: stageTip, count: 5 } as AggregateRow,
      { day: d, crm: 'webcrm', pack: webcrm.id, packVersion: '1.0.0', screen: `${webcrm.id}/home`, type: 'rage-click', count: 4 } as AggregateRow,
    ]);
    await seedLocal(page, extension.extensionId, rows);
    await openInsights(page, extension.extensionId, period);
    const friction = page.getByTestId('table-friction');
    const tips = page.getByTestId('table-tips');
    const svg = (view: string) => page.getByTestId(`chart-${view}-0`).locator('svg').evaluate((e) => e.outerHTML);
    await expect(friction).toContainText('90');
    await expect(tips).toContainText('150'); // 30 days × 5 of the stage's tip
    await expect(tips).toContainText(otherTip);
    const tipsChart = await svg('tips');

    // Stage: only the stage's checklist items stay in the tips view (table and chart).
    await page.getByTestId('stage').selectOption('week-1');
    await expect(tips).not.toContainText(otherTip);
    await expect(tips).toContainText('150');
    await expect.poll(() => svg('tips')).not.toBe(tipsChart);

    // CRM: the pack follows (webcrm's pack), and so do the table and the chart.
    const frictionChart = await svg('friction');
    await page.getByTestId('crm').selectOption('webcrm');
    await expect(page.getByTestId('pack')).toHaveValue(webcrm.id);
    await expect(friction).toContainText('120'); // 30 days × 4 rage clicks
    await expect(friction).not.toContainText('90');
    await expect.poll(() => svg('friction')).not.toBe(frictionChart);

    // Pack: back to all CRMs and the demo pack.
    const webcrmChart = await svg('friction');
    await page.getByTestId('crm').selectOption('');
    await page.getByTestId('pack').selectOption('demo');
    await expect(friction).toContainText('90');
    await expect(friction).not.toContainText('120');
    await expect.poll(() => svg('friction')).not.toBe(webcrmChart);
  });

  test('this browser: 3 days show only hidden cells', async ({ page, extension }) => {
    const { period, days } = month();
    await seedLocal(page, extension.extensionId, days.slice(0, 3).flatMap((d) => dayRows(d)));
    await openInsights(page, extension.extensionId, period);
    const cells = page.getByTestId('table-friction').locator('tbody td:not(:first-child)');
    await expect(cells.first()).toBeVisible();
    for (const text of await cells.allTextContents()) expect(text === '0' || text === 'hidden' || text.startsWith('fewer than')).toBe(true);
    await expect(page.getByTestId('table-friction')).toContainText('fewer than 5');
  });

  /** A real collector (SQLite in a temp dir, 127.0.0.1, port 0) with `contributors` batches of dayRows, then the page on the team source. */
  async function withTeam(page: Page, extensionId: string, contributors: number, check: (period: string) => Promise<void>) {
    const { period, days } = month();
    const dir = mkdtempSync(join(tmpdir(), 'h2-collector-'));
    const storage = new SqliteStorage({ path: join(dir, 'c.sqlite') });
    await storage.init();
    const config = configFromEnv({
      ORG_TOKENS: sha256(ORG), MANAGER_TOKENS: sha256(MANAGER), PORT: '0', HOST: '127.0.0.1',
      CORS_ORIGINS: `chrome-extension://${extensionId}`,
    });
    const collector = createCollector({ config, storage, log: () => {} });
    const { url } = await collector.listen();
    try {
      const post = (pack: string, day: string) =>
        fetch(`${url}/v1/batches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ORG}`, 'content-type': 'application/json' },
          body: JSON.stringify({ format: 1, batchId: randomId(), contributor: randomId(), extensionVersion: '0.1.0', rows: dayRows(day, pack) }),
        }).then((r) => expect(r.status).toBe(201));
      // Spread over three days: with 30, the busiest day has 10 ≥ k; with 3, one a day.
      for (let i = 0; i < contributors; i += 1) await post('demo', days[i % 3]!);

      await seedLocal(page, extensionId, []);
      await page.goto(`chrome-extension://${extensionId}/insights.html`);
      await page.getByLabel('The team').check();
      await page.getByTestId('team-endpoint').fill(url);
      await page.getByTestId('team-token').fill(MANAGER);
      await page.getByTestId('pack').selectOption('demo');
      await page.getByTestId('period').selectOption(period);
      await check(period);
    } finally {
      await collector.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('the team: 30 contributors in a real collector render every view', async ({ page, extension }) => {
    await withTeam(page, extension.extensionId, 30, async () => {
      for (const view of ['friction', 'targets', 'tips', 'health', 'feedback']) {
        await expect(page.locator(`section[data-view="${view}"] svg`).first()).toBeVisible();
        await expect(page.getByTestId(`table-${view}`).locator('tbody tr').first()).toBeVisible();
      }
      await expect(page.getByTestId('table-friction')).toContainText('90'); // 30 batches × 3 rage clicks
    });
  });

  test('the team: 3 contributors show only suppressed cells', async ({ page, extension }) => {
    await withTeam(page, extension.extensionId, 3, async () => {
      const friction = page.getByTestId('table-friction');
      await expect(friction).toContainText('fewer than 5');
      for (const view of ['friction', 'targets', 'tips', 'health', 'feedback']) {
        const cells = page.getByTestId(`table-${view}`).locator('tbody td:not(:first-child)');
        for (const text of await cells.allTextContents()) {
          // Only labels (titles, ids), zeros and suppressed markers: no published count.
          expect(/^\d+$/.test(text) ? text === '0' : true, `${view}: ${text}`).toBe(true);
        }
      }
      // The rows posted hold 3 rage clicks each: 9 in all, never shown.
      await expect(friction).not.toContainText('9');
    });
  });
});
