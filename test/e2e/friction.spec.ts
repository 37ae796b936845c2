/**
 * Friction signals from real interaction with the demo CRM: a validation loop and its error
 * banner on the create form, and a rage click. What is stored is ids, enums and small numbers.
 */
import { expect, readSignals, test } from './fixtures';

test('a validation loop, the error banner and a rage click are recorded against the screen', async ({ page, crmUrl, extension }) => {
  const before = (await readSignals(extension)).length;
  await page.goto(`${crmUrl}/opportunities/new`);
  const form = page.getByRole('form', { name: 'New opportunity' });
  await expect(form).toBeVisible();
  await form.getByLabel('Amount').fill('Ola Nordmann 12345678901');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await form.getByRole('button', { name: 'Save' }).click();
  // Three quick clicks on the same spot of something that does not respond.
  const heading = page.getByRole('heading', { level: 1, name: 'New opportunity' });
  const box = (await heading.boundingBox())!;
  for (let i = 0; i < 4; i++) await page.mouse.click(box.x + 10, box.y + box.height / 2);

  // The Stage tooltip (inside a custom element upgraded after the page loaded) shows too.
  await expect(page.locator('crm-coach-overlay [data-rule="demo/opportunity-create.tooltips#stage"]')).toBeVisible();
  await expect
    .poll(async () => [...new Set((await readSignals(extension)).slice(before).map((s) => s.type))].sort())
    .toEqual(expect.arrayContaining(['error-banner', 'rage-click', 'tip-shown', 'validation-loop']));
  expect((await readSignals(extension)).slice(before).map((s) => s.type)).not.toContain('rule-missing');
  const friction = (await readSignals(extension)).slice(before).filter((s) => s.type !== 'tip-shown');
  for (const s of friction) expect(s.screen).toBe('demo/opportunity-create');
  expect(friction.find((s) => s.type === 'rage-click')).toMatchObject({ count: expect.any(Number) });
  expect(JSON.stringify(await readSignals(extension))).not.toMatch(/Ola|Nordmann|12345678901/);
});
