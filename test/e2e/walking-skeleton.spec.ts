import type { Page } from '@playwright/test';
import { anyTooltip, expect, readProgress, readSignals, test, tooltip, type StoredSignal } from './fixtures';

const SEARCH = 'demo/contact-list.tooltips#search';
const LOG_CALL = 'demo/contact-record.tooltips#log-call';
const STAGE = 'demo/opportunity-create.tooltips#stage';
const BOARD = 'demo/reports-pipeline.tooltips#board';
const ACTIVITY_TIP = 'demo/contact-record.tips#activity-tab';

/**
 * Records, in the page's own world, every tooltip that ever appears and the path it appeared on,
 * and marks the window, so a full page load (which would clear the mark) is detectable.
 */
async function recordTooltips(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __seen: string[]; __spa: boolean };
    w.__seen = [];
    w.__spa = true;
    const watchRoot = (root: ShadowRoot) => {
      const record = () => {
        for (const el of root.querySelectorAll('[role="dialog"][data-rule]')) {
          const entry = `${location.pathname}${location.hash} ${el.getAttribute('data-rule')}`;
          if (!w.__seen.includes(entry)) w.__seen.push(entry);
        }
      };
      record();
      new MutationObserver(record).observe(root, { childList: true, subtree: true });
    };
    const host = document.querySelector('crm-coach-overlay');
    if (host?.shadowRoot) watchRoot(host.shadowRoot);
    else
      new MutationObserver((_, obs) => {
        const h = document.querySelector('crm-coach-overlay');
        if (h?.shadowRoot) {
          obs.disconnect();
          watchRoot(h.shadowRoot);
        }
      }).observe(document.documentElement, { childList: true });
  });
  return {
    seen: () => page.evaluate(() => (window as unknown as { __seen: string[] }).__seen),
    stillSameDocument: () => page.evaluate(() => (window as unknown as { __spa?: boolean }).__spa === true),
  };
}

/** The tooltip sits next to its target: touching or within a few pixels, overlapping on the other axis. */
async function expectAttached(page: Page, ruleId: string, target: ReturnType<Page['locator']>) {
  const tip = tooltip(page, ruleId);
  await expect(tip).toBeVisible();
  await expect
    .poll(async () => {
      const [a, b] = [await tip.boundingBox(), await target.boundingBox()];
      if (!a || !b) return Infinity;
      const gapX = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width), 0);
      const gapY = Math.max(b.y - (a.y + a.height), a.y - (b.y + b.height), 0);
      return gapX + gapY;
    }, { message: `${ruleId} should sit next to its target` })
    .toBeLessThanOrEqual(16);
}

test('each screen shows exactly its tooltip across pushState and hash navigation', async ({ page, crmUrl }) => {
  await page.goto(`${crmUrl}/contacts`);
  const log = await recordTooltips(page);

  // List screen: the search field's tooltip, next to the field.
  await expectAttached(page, SEARCH, page.getByLabel('Search contacts'));
  await expect(anyTooltip(page)).toHaveCount(1);

  // Record screen (SPA): the list's tooltip goes, the late-rendered "Log a call" button gets one.
  // The search tooltip sits below the field, over the first rows (a user would click around it), so
  // open a contact further down the list, once the list has loaded and the layout has settled.
  await expect(page.getByRole('table')).not.toHaveAttribute('aria-busy', 'true');
  await page.getByRole('table').getByRole('row').last().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/contacts\/c-\d+$/);
  await expectAttached(page, LOG_CALL, page.getByRole('button', { name: 'Log a call' }));
  await expectAttached(page, ACTIVITY_TIP, page.getByRole('tab', { name: 'Activity' }));
  await expect(tooltip(page, SEARCH)).toHaveCount(0);

  // Opportunity list: a screen with no rule shows nothing.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Opportunities' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Opportunities' })).toBeVisible();
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
  await expect(tooltip(page, LOG_CALL)).toHaveCount(0);

  // Create form: the Stage field lives in a custom element's open shadow root.
  await page.getByRole('button', { name: 'New opportunity' }).click();
  await expect(page).toHaveURL(/\/opportunities\/new$/);
  await expectAttached(page, STAGE, page.locator('select[name="stage"]'));
  await expect(anyTooltip(page)).toHaveCount(1);

  // Hash-routed area.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await expect(page).toHaveURL(/\/reports#\/$/);
  await page.getByRole('link', { name: 'Pipeline', exact: true }).click();
  await expect(page).toHaveURL(/\/reports#\/pipeline$/);
  await expectAttached(page, BOARD, page.getByRole('heading', { name: 'Pipeline', exact: true }));

  // Back (popstate) to the create form: its tooltip returns, the board's goes.
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/\/opportunities\/new$/);
  await expect(tooltip(page, STAGE)).toBeVisible();
  await expect(tooltip(page, BOARD)).toHaveCount(0);

  expect(await log.stillSameDocument(), 'navigation must not reload the page').toBe(true);
  const seen = await log.seen();
  expect(seen.filter((s) => s.startsWith('/opportunities ')), 'no tooltip on the opportunity list').toEqual([]);
  expect(seen).toEqual([
    `/contacts ${SEARCH}`,
    expect.stringMatching(new RegExp(`^/contacts/c-\\d+ (${LOG_CALL}|${ACTIVITY_TIP})$`)),
    expect.stringMatching(new RegExp(`^/contacts/c-\\d+ (${LOG_CALL}|${ACTIVITY_TIP})$`)),
    `/opportunities/new ${STAGE}`,
    `/reports#/pipeline ${BOARD}`,
  ]);
});

test('a deep link on a full load shows its tooltip once the late target renders', async ({ page, crmUrl }) => {
  await page.goto(`${crmUrl}/contacts/c-104`);
  // The button is rendered only after the record's fetch (300 ms latency).
  await expectAttached(page, LOG_CALL, page.getByRole('button', { name: 'Log a call' }));
  await page.goto(`${crmUrl}/reports#/pipeline`);
  await expect(tooltip(page, BOARD)).toBeVisible();
});

test('a dismissed tooltip stays away: across re-renders, navigation and reloads', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/contacts`);
  const tip = tooltip(page, SEARCH);
  await tip.getByRole('button', { name: 'Got it' }).click();
  await expect(tip).toHaveCount(0);
  // Typing re-renders the list around the field; the dismissed tooltip stays away.
  await page.getByLabel('Search contacts').fill('a');
  await expect(page.getByRole('table')).toBeVisible();
  // "Until dismissed" is remembered by the background, not by the page: reload.
  await expect.poll(async () => (await readProgress(extension))?.rules?.[SEARCH]?.dismissed).toBe(true);
  await page.reload();
  const log = await recordTooltips(page);
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
  // The record screen's tooltip proves the coach is running on this load.
  await page.getByRole('table').getByRole('row').nth(1).getByRole('link').first().click();
  await expect(tooltip(page, LOG_CALL)).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
  await page.getByRole('table').getByRole('row').nth(2).getByRole('link').first().click();
  await expect(tooltip(page, LOG_CALL)).toBeVisible();
  expect((await log.seen()).filter((s) => s.includes(SEARCH)), 'the dismissed tooltip never came back').toEqual([]);
});

test('escape dismisses a tooltip from the keyboard', async ({ page, crmUrl }) => {
  await page.goto(`${crmUrl}/contacts/c-101`);
  const tip = tooltip(page, LOG_CALL);
  await expect(tip).toBeVisible();
  await tip.focus();
  await page.keyboard.press('Escape');
  await expect(tip).toHaveCount(0);
});

test('tip-shown reaches IndexedDB, anonymized, and survives the service worker being stopped', async ({ page, crmUrl, extension }) => {
  const before = (await readSignals(extension)).length;
  await page.goto(`${crmUrl}/contacts?q=ola.nordmann%40example.com`);
  await expect(tooltip(page, SEARCH)).toBeVisible();
  await expect.poll(async () => (await readSignals(extension)).length).toBe(before + 1);
  const [first] = (await readSignals(extension)).slice(-1);
  expect(first).toEqual({
    id: expect.any(Number),
    type: 'tip-shown',
    day: new Date().toISOString().slice(0, 10),
    crm: 'demo',
    pack: 'demo',
    packVersion: '1.0.0',
    screen: 'demo/contact-list',
    rule: SEARCH,
    extensionVersion: '0.1.0',
    uid: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), // random per signal: retries are stored once
  });

  // Stop the worker the hard way: close its DevTools target.
  const cdp = await extension.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extension.extensionId}/`));
  expect(worker, 'the extension service worker is running').toBeTruthy();
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
  await expect
    .poll(async () => {
      const { targetInfos: now } = await cdp.send('Target.getTargets');
      return now.some((t) => t.targetId === worker!.targetId);
    }, { message: 'the worker target should be gone' })
    .toBe(false);

  // The next message (a new page asking for its rules) restarts the worker.
  await page.goto(`${crmUrl}/contacts/c-105`);
  await expect(tooltip(page, LOG_CALL)).toBeVisible();
  await expect(tooltip(page, ACTIVITY_TIP)).toBeVisible();
  await expect.poll(async () => (await readSignals(extension)).length).toBe(before + 3);
  const all = await readSignals(extension);
  expect(all.slice(before).map((s) => s.rule).sort()).toEqual([ACTIVITY_TIP, SEARCH, LOG_CALL].sort());
  // The uid is random base64 and may spell anything; every other field must hold none of the page's data.
  expect(JSON.stringify(all.map(({ uid: _uid, ...rest }: StoredSignal & { uid?: string }) => rest))).not.toMatch(/ola|nordmann|c-105|127\.0\.0\.1/i);
});

test('a malformed message is rejected and the worker keeps serving', async ({ extension }) => {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.extensionId}/manifest.json`);
  const replies = await page.evaluate(async () => {
    const { runtime } = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
    const send = (m: unknown) => runtime.sendMessage(m);
    return [
      await send({ type: 'signal:record', signal: { type: 'tip-shown', pack: 'demo', screen: '<img src=x>', rule: 'x' } }),
      await send({ nonsense: true }),
      await send({ type: 'rules:get' }),
    ];
  });
  expect(replies[0]).toEqual({ error: 'malformed message' });
  expect(replies[1]).toEqual({ error: 'malformed message' });
  // An extension page is not a CRM page: a valid request answers, with no packs.
  expect(replies[2]).toEqual({ packs: [], progress: null, context: null });
  await page.close();
});

test('a DOM-only screen change (a tab, same URL) switches the tooltips within a frame or two', async ({ page, crmUrl }) => {
  await page.goto(`${crmUrl}/contacts/c-106`);
  await expect(tooltip(page, LOG_CALL)).toBeVisible();
  const url = page.url();
  await page.getByRole('tab', { name: 'Activity' }).click();
  await expect(tooltip(page, 'demo/contact-activity.tooltips#newest-first')).toBeVisible();
  await expect(tooltip(page, LOG_CALL)).toHaveCount(0);
  expect(page.url()).toBe(url);
  await page.getByRole('tab', { name: 'Details' }).click();
  await expect(tooltip(page, LOG_CALL)).toBeVisible();
  await expect(tooltip(page, 'demo/contact-activity.tooltips#newest-first')).toHaveCount(0);
});
