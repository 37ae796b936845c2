/**
 * github-url-detection's matrix: every screen against its own test URLs and every other screen's.
 * Each test URL added to a pack adds a negative test for every other screen of the pack for free.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../lib/rules/compile';
import { readRuleFiles } from '../../lib/rules/read-rule-files';
import { normalizeUrl } from '../../lib/screens/match-url';
import { matchScreen, urlScore } from '../../lib/screens/match-screen';

const files = readRuleFiles(resolve(import.meta.dirname, '../../content-rules'));
const { bundle, diagnostics, testUrls } = compileRules(files);

it('every bundled pack compiles without errors', () => {
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(bundle.packs.length).toBeGreaterThan(0);
});

for (const pack of bundle.packs) {
  describe(`pack ${pack.id}`, () => {
    for (const screen of pack.screens) {
      const urls = testUrls[screen.id] ?? [];
      it(`${screen.id} has test URLs`, () => expect(urls.length).toBeGreaterThan(0));
      for (const url of urls) {
        it(`${url} is ${screen.id}`, () => {
          const normalized = normalizeUrl(url);
          expect(urlScore(screen, normalized), `${screen.id} should match its own test URL`).toBeGreaterThanOrEqual(0);
          if (screen.probes.length === 0) {
            // With DOM probes the winner also depends on the page; those are e2e-tested.
            expect(matchScreen([pack], normalized, null)?.screen.id, 'the most specific screen must win').toBe(screen.id);
          }
        });
      }
    }
  });
}
