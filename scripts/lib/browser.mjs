// Launching Debian's Chromium with the built extension: shared by the demo, the e2e tests and
// the benchmarks, so all three run the extension the same way. See ../shared/RECIPES.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
// CRM_COACH_EXTENSION_DIR: test another build (a helper's own, or a variant) without touching .output/.
export const EXTENSION_DIR = process.env.CRM_COACH_EXTENSION_DIR ?? join(ROOT, '.output', 'chrome-mv3');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Install Debian's chromium when it is missing (CI and fresh machines run as root). */
export function ensureChromium({ log = console.error } = {}) {
  if (existsSync(CHROMIUM_PATH)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM_PATH} is missing; install it with: sudo apt-get install -y chromium`);
  }
  log('chromium: not installed; installing Debian\'s chromium package (about a minute)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/** @param {{ extensionDir?: string, headless?: boolean, extraArgs?: string[] }} [options] */
export function chromiumArgs({ extensionDir = EXTENSION_DIR, headless = true, extraArgs = [] } = {}) {
  return [
    ...extraArgs,
    ...(headless ? ['--headless=new'] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    // Both flags: Playwright adds --disable-extensions itself; -except re-enables ours.
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ];
}

/** Chromium without the extension (fixture pages, evidence, XSS checks); the caller closes it. */
export async function launchPlainChromium() {
  const { chromium } = await import('playwright-core');
  const args = chromiumArgs().filter((a) => !a.includes('extension'));
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: false, args });
}

/**
 * A persistent context (extensions need one) in a fresh profile, with the extension loaded.
 * Returns { context, serviceWorker, extensionId, close }.
 */
/** @param {{ headless?: boolean, extensionDir?: string, locale?: string, extraArgs?: string[] }} [options] */
export async function launchWithExtension({ headless = true, extensionDir = EXTENSION_DIR, locale = 'en-US', extraArgs = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'crm-coach-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    // Playwright's own headless flag would add the old headless mode; we pass --headless=new.
    headless: false,
    args: chromiumArgs({ extensionDir, headless, extraArgs }),
    locale,
    viewport: headless ? { width: 1280, height: 800 } : null,
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, serviceWorker, extensionId, close };
}
