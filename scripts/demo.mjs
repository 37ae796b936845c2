// npm run demo: build the extension, serve the demo CRM, and open it in Chromium with the
// extension loaded. On a machine without a display it proves the extension works headless
// (a screenshot of the first tooltip) and keeps the demo CRM running, with instructions.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EXTENSION_DIR, ROOT, ensureChromium, launchWithExtension } from './lib/browser.mjs';
import { startDemoCrm } from '../test/fixtures/demo-crm/server.mjs';

const port = Number(process.env.PORT ?? 4173);
const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/.bin/wxt'), 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const crm = await startDemoCrm({ port, latencyMs: 400 });
const start = `${crm.url}/contacts`;
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
ensureChromium();

const shutdown = async (browser) => {
  await browser?.close();
  await crm.close();
  process.exit(0);
};

if (hasDisplay) {
  const browser = await launchWithExtension({ headless: false });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(start);
  console.log(`\nDemo CRM: ${start} (opened in Chromium with CRM Coach loaded). Close the window or press Ctrl+C to stop.`);
  browser.context.on('close', () => shutdown());
  process.on('SIGINT', () => shutdown(browser));
} else {
  // Headless machine: check the product end to end once, then keep serving for a browser elsewhere.
  const browser = await launchWithExtension({ headless: true });
  const page = await browser.context.newPage();
  await page.goto(start);
  const tip = page.locator('crm-coach-overlay [role="dialog"]').first();
  let verdict;
  try {
    await tip.waitFor({ state: 'visible', timeout: 15_000 });
    await tip.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    const shot = join(ROOT, '.output', 'demo-screenshot.png');
    await page.screenshot({ path: shot });
    verdict = `CRM Coach works here: a tooltip is showing on ${start} (screenshot: ${shot.replace(`${ROOT}/`, '')}).`;
  } catch {
    verdict = 'Warning: no tooltip appeared in the headless check; see the browser console.';
  }
  await browser.close();
  console.log(`
${verdict}

No display found, so no browser window was opened. The demo CRM keeps running at:
    ${start}
To try it in your own Chrome or Chromium:
    1. open chrome://extensions and switch on "Developer mode"
    2. "Load unpacked" and choose ${EXTENSION_DIR}
    3. open ${start} (forward port ${port} if this machine is remote)
Press Ctrl+C to stop.`);
  process.on('SIGINT', () => shutdown());
}
