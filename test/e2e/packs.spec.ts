/**
 * Packs from outside the build, through the real extension, with a real managed policy:
 *   (a) a signed remote pack served over HTTPS (a host name mapped to 127.0.0.1) replaces the
 *       bundled demo pack on the demo CRM; a tampered next version is rejected with its reason
 *       shown in the options page, and the CRM keeps showing the last good version;
 *   (b) policy values appear locked in the options page.
 * The policy is keyed by the id of a copy of the build in a directory of its own (nobody else's
 * browser can pick it up) and removed afterwards, also on failure.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../../scripts/lib/browser.mjs';
import { startDemoCrm } from '../fixtures/demo-crm/server.mjs';
import { readRuleFiles } from '../../lib/rules/read-rule-files';
import { signPackFile } from '../../lib/packs/pack-file';
import { generateKeyPair, type PrivateKeyFile } from '../../lib/packs/signing';
import { cannotWritePolicy, copyExtension, writeManagedPolicy } from '../support/policy';

const ROOT = resolve(import.meta.dirname, '../..');
const TLS = join(ROOT, 'test/fixtures/tls');
const SEARCH = 'demo/contact-list.tooltips#search';
const BUNDLED_TITLE = 'Find anyone in two keystrokes';
const PACK_HOST = 'packs.crm-coach.test';

test.describe.configure({ mode: 'serial' });
// Chromium on Linux reads managed policy only from /etc/chromium/policies/managed (root-owned);
// there is no flag to point it elsewhere. CI runs as root, so there this file must run: a CI
// that cannot write the policy fails here instead of skipping. A developer running the e2e
// suite as another user gets a skip that says why.
const policyBlocked = cannotWritePolicy();
if (process.env.CI && policyBlocked) throw new Error(`packs.spec.ts needs to write a managed policy in CI: ${policyBlocked}`);
test.skip(() => policyBlocked !== undefined, policyBlocked ?? '');

/** The demo pack at another version, its search tooltip titled `title` (plain words: it goes into YAML unquoted). */
const demoFiles = (version: string, title: string) =>
  readRuleFiles(join(ROOT, 'content-rules/demo')).map((f) => ({
    path: f.path,
    text: f.path === 'pack.yaml' ? f.text.replace(/^version: .*$/m, `version: ${version}`) : f.text.replace(BUNDLED_TITLE, title),
  }));
const sign = (key: PrivateKeyFile, version: string, title: string) =>
  signPackFile({ pack: 'demo', version, files: demoFiles(version, title), expires: new Date(Date.now() + 86_400_000).toISOString() }, key);

let served = '';
let packServer: Server;
let crm: { url: string; close: () => Promise<void> };
let extension: { context: BrowserContext; extensionId: string; close: () => Promise<void> };
let cleanup: Array<() => unknown> = [];
let key: PrivateKeyFile;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  key = await generateKeyPair('ecdsa-p256');
  packServer = createServer({ key: readFileSync(join(TLS, 'test-only-key.pem')), cert: readFileSync(join(TLS, 'test-only-cert.pem')) }, (req, res) => {
    if (req.url !== '/demo.crmpack.json') return void res.writeHead(404).end();
    // Remote pack hosts must allow CORS: the extension's worker fetches without host permission.
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*' }).end(served);
  });
  await new Promise<void>((r) => packServer.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => { packServer.close(() => r()); packServer.closeAllConnections(); }));
  crm = await startDemoCrm({ port: 0, latencyMs: 0 });
  cleanup.push(() => crm.close());

  const copy = copyExtension(EXTENSION_DIR);
  cleanup.push(copy.remove);
  const remoteUrl = `https://${PACK_HOST}:${(packServer.address() as AddressInfo).port}/demo.crmpack.json`;
  const policy = writeManagedPolicy(copy.id, { trustedKeys: [key.publicKey], remotePacks: [remoteUrl], disabledPacks: ['hubspot'] });
  cleanup.push(policy.remove);
  served = await sign(key, '1.1.0', 'Remote 1.1 finds anyone');
  extension = await launchWithExtension({
    extensionDir: copy.dir,
    extraArgs: [`--host-resolver-rules=MAP ${PACK_HOST} 127.0.0.1`, '--ignore-certificate-errors'],
  });
  cleanup.push(() => extension.close());
  expect(extension.extensionId, 'the unique copy has the id the policy names').toBe(copy.id);
});

test.afterAll(async () => {
  for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => {});
  cleanup = [];
});

async function openPacks(): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.extensionId}/options.html#packs`);
  await expect(page.getByRole('heading', { name: 'Packs', level: 1 })).toBeVisible();
  return page;
}

test('a signed remote pack is applied; a tampered version is rejected and the last good one keeps working', async () => {
  test.setTimeout(60_000);
  const options = await openPacks();
  const demoRow = options.locator('tr[data-pack="demo"]');
  await options.getByRole('button', { name: 'Refresh now' }).click();
  await expect(demoRow.getByTestId('pack-source')).toHaveText('remote');
  await expect(demoRow.getByTestId('pack-version')).toHaveText('1.1.0');

  const crmPage = await extension.context.newPage();
  await crmPage.goto(`${crm.url}/contacts`);
  await expect(crmPage.locator(`crm-coach-overlay [role="dialog"][data-rule="${SEARCH}"]`)).toContainText('Remote 1.1 finds anyone');

  // The next version is changed after signing: rejected, with the reason shown.
  served = (await sign(key, '1.2.0', 'Remote 1.2')).replace('Remote 1.2', 'Evil 1.2');
  await options.getByRole('button', { name: 'Refresh now' }).click();
  await expect(options.getByTestId('remote-error')).toContainText('signature does not match');
  await expect(demoRow.getByTestId('pack-error')).toContainText('signature does not match');
  await expect(demoRow.getByTestId('pack-version')).toHaveText('1.1.0');

  // The CRM keeps the last good version.
  await crmPage.reload();
  await expect(crmPage.locator(`crm-coach-overlay [role="dialog"][data-rule="${SEARCH}"]`)).toContainText('Remote 1.1 finds anyone');
  await expect(crmPage.locator('crm-coach-overlay')).not.toContainText('Evil');
  await crmPage.close();
  await options.close();
});

test('managed-policy values appear locked in the options page', async () => {
  const options = await openPacks();
  await expect(options.locator('#trusted-keys')).toBeDisabled();
  await expect(options.locator('#trusted-keys')).toHaveValue(key.publicKey);
  await expect(options.locator('label[for="trusted-keys"]')).toContainText('set by your organisation');
  const hubspot = options.locator('tr[data-pack="hubspot"]');
  await expect(hubspot.getByRole('checkbox')).toBeDisabled();
  await expect(hubspot.getByRole('checkbox')).not.toBeChecked();
  await expect(hubspot).toContainText('set by your organisation');
  await expect(options.locator('tr[data-remote]')).toContainText('set by your organisation');
  // The policy section lists the same keys as set by policy.
  await options.goto(`chrome-extension://${extension.extensionId}/options.html#policy`);
  await expect(options.getByRole('row', { name: /trustedKeys/ })).toContainText('set by policy');
  await options.close();
});
