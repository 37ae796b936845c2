/**
 * Selector evidence (Refined GitHub's habit): every target of every real-CRM pack is checked in
 * real Chromium against committed, sanitized fixtures of that CRM's markup, with the number of
 * visible elements each strategy matches written down in test/fixtures/packs/<pack>/evidence.yaml.
 * Fixtures are named <screen>.html or <screen>--<state>.html; on each, the engine must also detect
 * that screen (URL patterns plus DOM probes).
 * The demo pack is exempt: the other e2e tests run it against the live demo CRM.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { parse } from 'yaml';
import { test as base, expect } from '@playwright/test';
import { launchPlainChromium } from '../../scripts/lib/browser.mjs';
import { compileRules } from '../../lib/rules/compile';
import { readRuleFiles } from '../../lib/rules/read-rule-files';
import { packTargets } from '../../lib/rules/pack-targets';
import { bundleEvidenceScript } from '../support/bundle-evidence';
import { serveDirectory } from '../support/static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/packs');
const { bundle, testUrls } = compileRules(readRuleFiles(join(ROOT, 'content-rules')));
const EXEMPT = new Set(['demo']);

interface FixtureEvidence {
  /** The URL the page stands for; default: the screen's first test URL. */
  url?: string;
  /** target key (see lib/rules/pack-targets.ts) -> visible matches per strategy */
  targets: Record<string, number[]>;
}

const test = base.extend<object, { browser: Browser; fixtures: { url: string }; evidenceScript: string }>({
  browser: [
    async ({}, use) => {
      const browser = await launchPlainChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  fixtures: [
    async ({}, use) => {
      const server = await serveDirectory(FIXTURES);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  evidenceScript: [async ({}, use) => use(await bundleEvidenceScript()), { scope: 'worker' }],
});

for (const pack of bundle.packs.filter((p) => !EXEMPT.has(p.id))) {
  const dir = join(FIXTURES, pack.id);
  const evidenceFile = join(dir, 'evidence.yaml');
  const evidence: Record<string, FixtureEvidence> = existsSync(evidenceFile) ? parse(readFileSync(evidenceFile, 'utf8')) ?? {} : {};
  const targets = packTargets(pack);

  test.describe(`pack ${pack.id}`, () => {
    test('has a fixture for every screen and evidence for every target', () => {
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.html')) : [];
      const missingScreens = pack.screens
        .map((s) => s.id.slice(pack.id.length + 1))
        .filter((stem) => !files.some((f) => f === `${stem}.html` || f.startsWith(`${stem}--`)));
      expect(missingScreens, `add test/fixtures/packs/${pack.id}/<screen>.html for these screens`).toEqual([]);
      const covered = new Set(Object.values(evidence).flatMap((e) => Object.keys(e.targets ?? {})));
      const uncovered = [...targets.keys()].filter((k) => !covered.has(k));
      expect(uncovered, `list these targets under a fixture in test/fixtures/packs/${pack.id}/evidence.yaml`).toEqual([]);
      const unknown = [...covered].filter((k) => !targets.has(k));
      expect(unknown, 'evidence.yaml names targets the pack does not have').toEqual([]);
      // A rule's own target must be found somewhere; probes, skipIf and advance targets may be absent.
      const neverFound = [...targets.keys()].filter(
        (k) => !/\/(advance|skipIf)$|\.screen\/probes/.test(k) && !Object.values(evidence).some((e) => (e.targets?.[k] ?? []).some((n) => n > 0)),
      );
      expect(neverFound, 'targets that no fixture shows: the rule could never show').toEqual([]);
      const unlisted = files.filter((f) => !(f in evidence));
      expect(unlisted, 'fixtures without an entry in evidence.yaml').toEqual([]);
    });

    for (const [fixture, expected] of Object.entries(evidence)) {
      test(`${fixture}: screen detected and every listed target matches as recorded`, async ({ browser, fixtures, evidenceScript }) => {
        const stem = fixture.replace(/(--[a-z0-9-]+)?\.html$/, '');
        const screenId = `${pack.id}/${stem}`;
        const url = expected.url ?? testUrls[screenId]?.[0];
        expect(url, `no URL for ${fixture}: give "url" in evidence.yaml or testUrls in ${stem}.screen.yaml`).toBeTruthy();
        const page = await browser.newPage();
        try {
          await page.goto(`${fixtures.url}/${pack.id}/${fixture}`);
          await page.addScriptTag({ content: evidenceScript });
          const detected = await page.evaluate(
            ([packs, u]) => (globalThis as any).crmCoachEvidence.screen(packs, u),
            [[pack], url] as const,
          );
          expect(detected, `the engine should detect ${screenId} on ${fixture} at ${url}`).toBe(screenId);
          const actual: Record<string, number[]> = {};
          for (const key of Object.keys(expected.targets ?? {})) {
            const target = targets.get(key);
            if (!target) continue;
            actual[key] = await page.evaluate((t) => (globalThis as any).crmCoachEvidence.counts(t), target);
          }
          expect(actual, `visible matches per strategy on ${pack.id}/${fixture}; if the fixture or rule changed on purpose, update evidence.yaml`).toEqual(
            Object.fromEntries(Object.entries(expected.targets ?? {}).filter(([k]) => targets.has(k))),
          );
        } finally {
          await page.close();
        }
      });
    }
  });
}
