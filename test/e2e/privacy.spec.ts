/**
 * The salesperson's controls in the popup: "what is recorded" shows exactly what IndexedDB
 * holds, pause means nothing is stored, download gives their data, delete removes it.
 */
import type { Page } from '@playwright/test';
import { expect, readSignals, test, tooltip } from './fixtures';

const popup = async (page: Page, extensionId: string) => {
  const p = await page.context().newPage();
  await p.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(p.getByRole('heading', { name: 'What is recorded' })).toBeVisible();
  return p;
};

test('what is recorded: the popup shows the same counts as IndexedDB, per day', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/contacts`);
  await expect(tooltip(page, 'demo/contact-list.tooltips#search')).toBeVisible();
  await page.getByRole('table').getByRole('row').nth(1).getByRole('link').first().click();
  await expect(tooltip(page, 'demo/contact-record.tooltips#log-call')).toBeVisible();
  await expect.poll(async () => (await readSignals(extension)).length).toBeGreaterThanOrEqual(3);
  const stored = await readSignals(extension);
  const p = await popup(page, extension.extensionId);
  await expect(p.getByTestId('recorded-total')).toHaveText(`${stored.length} entries on this device`);
  const today = new Date().toISOString().slice(0, 10);
  await expect(p.locator(`li[data-day="${today}"]`).getByTestId('day-total')).toHaveText(String(stored.filter((s) => s.day === today).length));
  await expect(p.getByTestId('stage-demo')).toHaveText('Nordlys demo CRM · Week 1: log your calls: 0 of 2 done');
  await p.locator(`li[data-day="${today}"] summary`).click();
  await expect(p.locator(`li[data-day="${today}"]`)).toContainText('Tips shown');
  await p.close();
});

test('paused means nothing is stored; resuming records again', async ({ page, crmUrl, extension }) => {
  const p = await popup(page, extension.extensionId);
  await p.getByLabel('Pause everything').check();
  await expect(p.getByLabel('Pause everything')).toBeChecked();
  const before = (await readSignals(extension)).length;
  await page.goto(`${crmUrl}/contacts/c-110`);
  await expect(tooltip(page, 'demo/contact-record.tooltips#log-call')).toBeVisible();
  await tooltip(page, 'demo/contact-record.tooltips#log-call').getByRole('button', { name: 'Helpful', exact: true }).click();
  // The coach ran and reported (a tooltip shown, feedback given); the background stored nothing.
  // Resume, then the next report lands: it is the first one after `before`.
  await p.getByLabel('Pause everything').uncheck();
  await expect(p.getByLabel('Pause everything')).not.toBeChecked();
  await page.goto(`${crmUrl}/contacts`);
  await expect(tooltip(page, 'demo/contact-list.tooltips#search')).toBeVisible();
  await expect.poll(async () => (await readSignals(extension)).length).toBe(before + 1);
  expect((await readSignals(extension)).at(-1)?.rule).toBe('demo/contact-list.tooltips#search');
  await p.close();
});

test('download gives my data as JSON; delete removes it all', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/contacts`);
  await expect(tooltip(page, 'demo/contact-list.tooltips#search')).toBeVisible();
  await expect.poll(async () => (await readSignals(extension)).length).toBeGreaterThan(0);
  const p = await popup(page, extension.extensionId);
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download my data' }).click()]);
  const data = JSON.parse(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8')));
  expect(data).toMatchObject({ format: 'crm-coach-personal-data', version: 1 });
  expect(data.signals.length).toBe((await readSignals(extension)).length);
  expect(JSON.stringify(data.signals)).not.toContain('"uid"');

  await p.getByRole('button', { name: 'Delete everything now' }).click();
  await p.getByRole('alertdialog').getByRole('button', { name: 'Delete everything now' }).click();
  await expect(p.getByRole('status')).toHaveText('Everything was deleted.');
  await expect(p.getByTestId('recorded-total')).toHaveText('0 entries on this device');
  expect(await readSignals(extension)).toEqual([]);
  await p.close();
});
