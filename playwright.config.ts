import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the built extension (.output/chrome-mv3) in Debian's Chromium against
 * fixture CRMs served on 127.0.0.1. `npm test` builds first; `npm run test:e2e` expects a build.
 */
export default defineConfig({
  testDir: 'test/e2e',
  // Each worker runs its own Chromium and fixture server; two cores, two workers.
  workers: process.env.CI ? 2 : undefined,
  fullyParallel: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: { trace: 'retain-on-failure' },
});
