/**
 * The real-CRM packs through the real extension: each screen's fixture is served on that CRM's
 * own host name (https, mapped to 127.0.0.1), so the manifest's match patterns, the pack's host
 * list, URL screen detection with DOM probes, target resolution (shadow roots, iframes) and the
 * overlay all run as they would in the CRM. Every ungated tooltip and tip of a screen whose target
 * the fixture holds must appear.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { compileRules } from '../../lib/rules/compile';
import { readRuleFiles } from '../../lib/rules/read-rule-files';
import { packTargets } from '../../lib/rules/pack-targets';
import { fixtureKey, serveCrmFixtures } from '../support/crm-fixture-server';
import { clearExtensionStorage } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/packs');
const { bundle, testUrls } = compileRules(readRuleFiles(join(ROOT, 'content-rules')));

interface Case {
  pack: string;
  fixture: string;
  url: string;
  screen: string;
  expected: string[];
}

const cases: Case[] = [];
for (const pack of bundle.packs) {
  const evidenceFile = join(FIXTURES, pack.id, 'evidence.yaml');
  if (!existsSync(evidenceFile)) continue;
  const evidence: Record<string, { url?: string; targets?: Record<string, number[]> }> = parse(readFileSync(evidenceFile, 'utf8')) ?? {};
  const targets = packTargets(pack);
  for (const [fixture, e] of Object.entries(evidence)) {
    const stem = fixture.replace(/(--[a-z0-9-]+)?\.html$/, '');
    const screen = `${pack.id}/${stem}`;
    const url = e.url ?? testUrls[screen]?.[0];
    if (!url) continue;
    const found = (key: string) => (e.targets?.[key] ?? []).some((n) => n > 0);
    const expected = pack.rules
      .filter((r) => r.screen === screen && r.target.length > 0 && !r.when)
      .map((r) => r.id)
      .filter((id) => targets.has(id.slice(pack.id.length + 1)) && found(id.slice(pack.id.length + 1)));
    cases.push({ pack: pack.id, fixture, url, screen, expected });
  }
}

const test = base.extend<{ page: Page }, { crm: { port: number; files: Map<string, string> }; extension: { context: BrowserContext; extensionId: string } }>({
  crm: [
    async ({}, use) => {
      // Several fixtures share a URL (a dialog open over a list): each test says which one it serves.
      const server = await serveCrmFixtures(new Map());
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  extension: [
    async ({}, use) => {
      const launched = await launchWithExtension({
        extraArgs: ['--host-resolver-rules=MAP * 127.0.0.1', '--ignore-certificate-errors'],
      });
      await use(launched);
      await launched.close();
    },
    { scope: 'worker' },
  ],
  page: async ({ extension }, use) => {
    // A new user per test: "once" and "until dismissed" must not leak between fixtures.
    await clearExtensionStorage(extension);
    const page = await extension.context.newPage();
    await use(page);
    await page.close();
  },
});

for (const c of cases.filter((x) => x.expected.length > 0)) {
  test(`${c.pack}/${c.fixture} on its real host shows ${c.expected.length} tip(s)`, async ({ page, crm }) => {
    crm.files.set(fixtureKey(c.url), join(FIXTURES, c.pack, c.fixture));
    const url = new URL(c.url);
    url.port = String(crm.port);
    await page.goto(url.href);
    for (const id of c.expected) {
      // A tooltip (a dialog) or, for `display: beacon`, its beacon.
      await expect(page.locator(`crm-coach-overlay [data-rule="${id}"]`), `${id} on ${c.url}`).toBeVisible();
    }
  });
}

test('every real-CRM pack is covered here', () => {
  const packs = bundle.packs.filter((p) => p.id !== 'demo').map((p) => p.id);
  const covered = new Set(cases.filter((x) => x.expected.length > 0).map((x) => x.pack));
  expect(packs.filter((p) => !covered.has(p)), 'packs with no fixture that shows a tip on its real host').toEqual([]);
});
