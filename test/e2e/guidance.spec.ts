/**
 * The guidance overlay on the demo CRM: a walkthrough across three screens and a full reload,
 * beacons, tips that credit the time-saved ledger, the help panel with the rollout stage's
 * checklist, feedback reaching IndexedDB (the comment apart, scrubbed), keyboard-only use, and
 * an axe-core accessibility check of everything the overlay draws.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect, readProgress, readSignals, readStore, test, tooltip } from './fixtures';

const WALKTHROUGH = 'demo/log-a-call.walkthrough';
const step = (page: Page, id: string) => page.locator(`crm-coach-overlay [role="dialog"][data-step="${WALKTHROUGH}#${id}"]`);
const launcher = (page: Page) => page.getByRole('button', { name: 'CRM Coach help' });
const panel = (page: Page) => page.getByRole('dialog', { name: /^CRM Coach ·/ });
const TIP = 'demo/contact-record.tips#activity-tab';

test('a walkthrough spans three screens and a full reload, and is recorded as a funnel', async ({ page, crmUrl, extension }) => {
  const before = (await readSignals(extension)).length;
  await page.goto(`${crmUrl}/contacts`);
  await launcher(page).click();
  await panel(page).getByRole('button', { name: 'Start' }).click();

  // Step 1 on the list; started from our UI, so focus moved into the step.
  await expect(step(page, 'open-contact')).toBeVisible();
  await expect(step(page, 'open-contact')).toBeFocused();
  await expect(step(page, 'open-contact')).toContainText('Step 1 of 6');
  // The step is the only guidance while it is on screen: the list's own tooltip steps aside.
  await expect(tooltip(page, 'demo/contact-list.tooltips#search')).toHaveCount(0);
  await page.getByRole('table').getByRole('row').nth(1).getByRole('link').first().click();

  // Step 2 on the record (reached by navigating), then a full reload: it continues there.
  await expect(step(page, 'open-dialog')).toBeVisible();
  await expect.poll(async () => (await readProgress(extension))?.active?.step).toBe(`${WALKTHROUGH}#open-dialog`);
  await page.reload();
  await expect(step(page, 'open-dialog')).toBeVisible();

  // Steps advanced by working in the CRM: click, type, submit (the dialog goes away).
  await page.getByRole('button', { name: 'Log a call' }).click();
  await expect(step(page, 'subject')).toBeVisible();
  await page.getByLabel('Subject').fill('Follow-up on the offer');
  await expect(step(page, 'save')).toBeVisible();
  await page.getByRole('dialog', { name: 'Log a call' }).getByRole('button', { name: 'Save' }).click();
  await expect(step(page, 'go-to-activity')).toBeVisible();

  // Third screen, in the hash-routed area.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(step(page, 'see-it')).toBeVisible();
  await step(page, 'see-it').getByRole('button', { name: 'Finish' }).click();
  await expect(step(page, 'see-it')).toHaveCount(0);

  await expect.poll(async () => (await readProgress(extension))?.walkthroughs?.[WALKTHROUGH]?.completed).toBe(true);
  expect((await readProgress(extension))?.active).toBeUndefined();
  await expect
    .poll(async () => (await readSignals(extension)).slice(before).filter((s) => s.type.startsWith('walkthrough-')).map((s) => `${s.type} ${s.rule}`))
    .toEqual(
      expect.arrayContaining([
        `walkthrough-started ${WALKTHROUGH}#open-contact`,
        `walkthrough-step ${WALKTHROUGH}#subject`,
        `walkthrough-completed ${WALKTHROUGH}#see-it`,
      ]),
    );
});

test('exit records where people left; snooze puts it aside and the panel resumes it', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/contacts/c-103`);
  await launcher(page).click();
  await panel(page).getByRole('button', { name: 'Start' }).click();
  // Started on the record, step 1 belongs to the list: the panel says where it continues.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
  await expect(step(page, 'open-contact')).toBeVisible();
  await step(page, 'open-contact').getByRole('button', { name: 'Later' }).click();
  await expect(step(page, 'open-contact')).toHaveCount(0);
  await expect.poll(async () => (await readProgress(extension))?.active?.snoozed).toBe(true);

  await launcher(page).click();
  await panel(page).getByRole('button', { name: 'Resume' }).click();
  await expect(step(page, 'open-contact')).toBeVisible();
  await step(page, 'open-contact').getByRole('button', { name: 'Exit walkthrough' }).click();
  await expect.poll(async () => (await readSignals(extension)).at(-1)).toMatchObject({
    type: 'walkthrough-abandoned',
    rule: `${WALKTHROUGH}#open-contact`,
  });
  expect((await readProgress(extension))?.active).toBeUndefined();
});

test('a tip states what it saves; using its faster path credits the ledger and the stage checklist', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/contacts/c-102`);
  const tip = tooltip(page, TIP);
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('Saves about 45 s each time');
  await expect(tip).toContainText('Instead of: Searching your notes');
  await page.getByRole('tab', { name: 'Activity' }).click();
  await expect.poll(async () => (await readProgress(extension))?.ledger).toEqual({ [new Date().toISOString().slice(0, 7)]: 45 });

  // A new page load reads the ledger: the panel shows it, and the checklist item is done.
  await page.reload();
  await launcher(page).click();
  await expect(panel(page)).toContainText('CRM Coach saved you 45 s this month');
  await expect(panel(page).getByRole('heading', { name: 'Rollout stage: Week 1: log your calls' })).toBeVisible();
  await expect(panel(page).locator('li[data-done="true"]')).toContainText('Every call in one place');
  await expect(panel(page).locator('li[data-done="false"]')).toContainText('Log a call');
});

test('a beacon opens its tooltip when clicked', async ({ page, crmUrl }) => {
  await page.goto(`${crmUrl}/opportunities`);
  await page.getByRole('table').getByRole('row').nth(1).getByRole('link').first().click();
  const beacon = page.locator('crm-coach-overlay button.beacon[data-rule="demo/opportunity-record.tooltips#edit"]');
  await expect(beacon).toBeVisible();
  await expect(tooltip(page, 'demo/opportunity-record.tooltips#edit')).toHaveCount(0);
  await beacon.click();
  await expect(tooltip(page, 'demo/opportunity-record.tooltips#edit')).toBeVisible();
});

test('a target that never appears is reported as rule health; "center" still shows the text', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/reports#/activity`);
  const centred = tooltip(page, 'demo/reports-activity.tooltips#filter-by-outcome');
  await expect(centred).toBeVisible();
  await expect(centred).toHaveClass(/centered/);
  await expect.poll(async () => (await readSignals(extension)).map((s) => `${s.type} ${s.rule}`)).toContain(
    'rule-missing demo/reports-activity.tooltips#filter-by-outcome',
  );
});

test('feedback reaches IndexedDB; the comment is stored apart and scrubbed', async ({ page, crmUrl, extension }) => {
  await page.goto(`${crmUrl}/contacts`);
  const tip = tooltip(page, 'demo/contact-list.tooltips#search');
  await tip.getByRole('button', { name: 'This process is confusing' }).click();
  await tip.getByLabel(/Anything to add/).fill('Call ola.nordmann@example.com on 912 34 567 about it');
  await tip.getByRole('button', { name: 'Send' }).click();
  await expect(tip.getByRole('status')).toHaveText('Thanks, noted.');
  await expect.poll(async () => (await readSignals(extension)).at(-1)).toMatchObject({
    type: 'feedback',
    rule: 'demo/contact-list.tooltips#search',
    detail: 'confusing',
  });
  const comments = await readStore<{ text: string; shared: boolean }>(extension, 'comments');
  expect(comments.at(-1)).toMatchObject({ text: 'Call [removed] on [removed] about it', shared: false });
  expect(JSON.stringify(await readSignals(extension))).not.toContain('ola.nordmann');
});

test('keyboard only: open the panel, start, step with the arrow keys, Esc puts it aside', async ({ page, crmUrl }) => {
  await page.goto(`${crmUrl}/reports#/activity`);
  await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
  // Reach the launcher with Tab from the page (it is the last focusable element).
  await page.keyboard.press('Shift+Tab');
  await expect(launcher(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByRole('searchbox')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(launcher(page)).toBeFocused();

  // On the list, start the walkthrough from the keyboard and move through a "Next" step.
  await page.goto(`${crmUrl}/contacts`);
  await launcher(page).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab'); // search -> Start
  await expect(panel(page).getByRole('button', { name: 'Start' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(step(page, 'open-contact')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(step(page, 'open-contact')).toHaveCount(0);
});

test('everything the overlay draws passes axe (WCAG 2.1 AA)', async ({ page, crmUrl }) => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.goto(`${crmUrl}/contacts`);
  const search = tooltip(page, 'demo/contact-list.tooltips#search');
  await expect(search).toBeVisible();
  await search.getByRole('button', { name: 'Not helpful' }).click(); // the comment form is open too
  await launcher(page).click();
  await panel(page).getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('crm-coach-overlay [role="dialog"][data-step]')).toBeVisible();
  await launcher(page).click();
  await expect(panel(page)).toBeVisible();
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
    const result = await axe.run(
      { include: [['crm-coach-overlay']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    );
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
  expect(violations).toEqual([]);
});

test('walkthrough advance triggers: element appears, input, change inside a shadow root, submit, Next', async ({ page, crmUrl, extension }) => {
  const W = 'demo/create-opportunity.walkthrough';
  const s = (id: string) => page.locator(`crm-coach-overlay [role="dialog"][data-step="${W}#${id}"]`);
  await page.goto(`${crmUrl}/opportunities`);
  await launcher(page).click();
  await panel(page).getByRole('button', { name: 'Start' }).click();
  await expect(s('open-form')).toBeVisible();
  await page.getByRole('button', { name: 'New opportunity' }).click();
  await expect(s('try-save')).toBeVisible();
  const form = page.getByRole('form', { name: 'New opportunity' });
  await form.getByRole('button', { name: 'Save' }).click(); // the error banner appears
  await expect(s('name')).toBeVisible();
  await form.getByLabel('Opportunity name').fill('Fjordkraft renewal');
  await expect(s('stage')).toBeVisible();
  await page.locator('select[name="stage"]').selectOption('Qualification'); // inside the picklist's shadow root
  await expect(s('save')).toBeVisible();
  await form.getByLabel('Amount').fill('250000');
  await form.getByLabel('Close date').fill('2026-12-15');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(s('done')).toBeVisible(); // on the new record, centred (no target)
  await expect(s('done')).toHaveClass(/centered/);
  await s('done').getByRole('button', { name: 'Finish' }).click();
  await expect.poll(async () => (await readProgress(extension))?.walkthroughs?.[W]?.completed).toBe(true);
});
