// npm test: every check and every test runner, one closing line `N passed, N failed` for CI.
//   checks:  rules:check, typecheck, Chrome build, Firefox build, addons-linter on the Firefox build
//   vitest:  unit tests (counted from its JSON report)
//   e2e:     Playwright against the built extension in Debian's Chromium (JSON report)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureChromium } from './lib/browser.mjs';

const results = join(ROOT, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;

function run(label, cmd, args, { env } = {}) {
  console.log(`\n=== ${label}: ${[cmd.replace(`${ROOT}/`, ''), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(label, cmd, args) {
  if (run(label, cmd, args)) passed += 1;
  else {
    failed += 1;
    console.log(`FAILED: ${label}`);
  }
}

/** Add a runner's counts from its JSON report; a runner that crashed before reporting is one failure. */
function count(label, ok, reportFile, read) {
  if (!existsSync(reportFile)) {
    console.log(`FAILED: ${label} wrote no report`);
    failed += 1;
    return;
  }
  const { p, f } = read(JSON.parse(readFileSync(reportFile, 'utf8')));
  passed += p;
  failed += f;
  if (!ok && f === 0) {
    console.log(`FAILED: ${label} exited non-zero with no failed test`);
    failed += 1;
  }
}

check('rules:check', process.execPath, [bin('jiti'), 'scripts/rules-check.ts']);
check('typecheck', process.execPath, [bin('tsc'), '--noEmit']);
check('build (chrome-mv3)', process.execPath, [bin('wxt'), 'build']);
check('build (firefox-mv3)', process.execPath, [bin('wxt'), 'build', '-b', 'firefox', '--mv3']);
check('addons-linter (firefox-mv3)', process.execPath, [bin('addons-linter'), '--self-hosted', '.output/firefox-mv3']);

const unitReport = join(results, 'unit.json');
// The collector's storage suite runs against SQLite and a throwaway PostgreSQL (Debian's,
// installed with apt when missing; started on 127.0.0.1 for this run only).
const unitOk = run('unit tests (vitest, throwaway PostgreSQL)', 'bash', [
  'scripts/with-postgres.sh', process.execPath, bin('vitest'), 'run',
  '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`,
]);
count('vitest', unitOk, unitReport, (r) => ({ p: r.numPassedTests, f: r.numFailedTests }));

ensureChromium();
const e2eReport = join(results, 'e2e.json');
const e2eOk = run('end-to-end tests (playwright)', process.execPath, [bin('playwright'), 'test'], {
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
});
count('playwright', e2eOk, e2eReport, (r) => ({
  p: r.stats.expected + r.stats.flaky,
  f: r.stats.unexpected,
}));

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
