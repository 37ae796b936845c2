/**
 * Admin authoring on the demo CRM (issue #7): write a tooltip in the form view, pick its target
 * on the page, preview it from the draft, publish it, and see it in a reloaded CRM tab; a typo
 * in the YAML view shows a located diagnostic and blocks publishing, and the draft survives a
 * reload of the editor.
 */
import type { Page } from '@playwright/test';
import { expect, readSignals, test, tooltip } from './fixtures';

const RULE = 'demo/contact-list.tooltips#new-contact';

async function openEditor(page: Page, extensionId: string) {
  await page.goto(`chrome-extension://${extensionId}/options.html#editor`);
  await expect(page.getByRole('heading', { name: 'Editor' })).toBeVisible();
  await expect(page.getByLabel('Pack')).toBeEnabled();
  await page.getByLabel('Pack').selectOption('demo');
  await expect(page.getByLabel('Screen')).toBeVisible();
}

test('an admin writes a tooltip in the form, picks its target, previews, publishes; a reloaded CRM tab shows it', async ({ page, crmUrl, extension }) => {
  test.setTimeout(60_000);
  await page.goto(`${crmUrl}/contacts`);
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();

  const editor = await extension.context.newPage();
  await openEditor(editor, extension.extensionId);
  await editor.getByLabel('Screen').selectOption('contact-list');
  await expect(editor.getByLabel('Tooltip', { exact: true })).toHaveValue('');
  await editor.getByLabel(/^Key/).fill('new-contact');

  // Pick on page: the CRM tab is in picking mode; the click picks and never reaches the CRM.
  await editor.getByRole('button', { name: 'Pick on page' }).click();
  const picker = page.locator('crm-coach-picker');
  await expect(picker.getByRole('dialog', { name: 'CRM Coach element picker' })).toBeVisible();
  await page.getByRole('button', { name: 'New contact' }).click();
  const choices = picker.locator('button.choice');
  await expect(choices.first()).toContainText('Role + name');
  await expect(choices.first()).toContainText('1 match');
  await choices.first().click();
  await expect(picker).toHaveCount(0);
  // The pick never reached the CRM: its "New contact" button shows this toast when clicked.
  await expect(page.getByText('Creating contacts is turned off')).toHaveCount(0);

  await expect(editor.getByLabel('Find it by')).toHaveValue('role');
  await expect(editor.getByLabel('Role', { exact: true })).toHaveValue('button');
  await expect(editor.getByLabel('Accessible name')).toHaveValue(/new contact/i);
  await editor.getByLabel('Title (English)').fill('Add someone new');
  await editor.getByLabel('Text (English)').fill('Create a contact straight from the list.');
  await editor.getByLabel('Text (Norwegian (bokmål))').fill('Lag en kontakt rett fra listen.');
  await expect(editor.getByText('No problems found.')).toBeVisible();

  // Preview from the draft, on the CRM tab, without publishing.
  await expect(editor.getByLabel('What to preview')).toHaveValue(RULE);
  await editor.getByRole('button', { name: 'Preview on the CRM tab' }).click();
  await expect(editor.getByRole('status')).toContainText('Previewing');
  await expect(tooltip(page, RULE)).toContainText('Create a contact straight from the list.');

  // Publish; a reloaded CRM tab shows it as a real, published tooltip.
  await editor.getByRole('button', { name: 'Publish' }).click();
  await expect(editor.getByRole('status')).toContainText('Published version');
  await page.reload();
  await expect(tooltip(page, RULE)).toContainText('Create a contact straight from the list.');
  // The published tooltip is recorded once; the preview never was.
  await expect.poll(async () => (await readSignals(extension)).filter((s) => s.rule === RULE && s.type === 'tip-shown').length).toBe(1);
  await editor.close();
});

test('a typo in the YAML view shows a located diagnostic, blocks publishing, and the draft survives a reload', async ({ page, extension }) => {
  await openEditor(page, extension.extensionId);
  await page.getByRole('button', { name: 'YAML' }).click();
  await page.getByLabel('File').selectOption('contact-list.tooltips.yaml');
  const content = page.locator('.cm-content');
  await expect(content).toContainText('placement: bottom');
  // Type the file again with a typo, as an admin editing in place would.
  const text = (await content.innerText()).replace(/\u00a0/g, ' ');
  expect(text).toContain('placement: bottom');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text.replace('placement: bottom', 'placment: bottom'));

  const problem = page.getByTestId('diagnostics').getByText('demo/contact-list.tooltips.yaml:', { exact: false });
  await expect(problem).toContainText('search.placment  unknown field "placment" (did you mean "placement"?)');
  await expect(problem).toHaveText(/^demo\/contact-list\.tooltips\.yaml:\d+:3 /);
  await expect(page.locator('.cm-lintRange-error')).toHaveText('placment');
  await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();
  await expect(page.getByText('an invalid draft cannot be published')).toBeVisible();
  await expect(page.getByTestId('draft-note')).toBeVisible();

  // Drafts never lose work: a reload of the editor shows the draft, still blocked.
  await page.reload();
  await page.getByLabel('Pack').selectOption('demo');
  await expect(page.getByTestId('draft-note')).toBeVisible();
  await expect(page.getByTestId('diagnostics')).toContainText('unknown field "placment"');
  await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();

  // Discard asks first; after it the published version is back.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await expect(page.getByText('No problems found.')).toBeVisible();
  await expect(page.getByTestId('draft-note')).toHaveCount(0);
});
