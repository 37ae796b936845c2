/**
 * Overlay positioning in real Chromium, through the real extension: a target in a scroll
 * container, in a fixed and a sticky header, inside a native modal dialog (showModal, the browser's
 * top layer) with the page's own popover above it, at the viewport's edges, after a resize, in a
 * right-to-left page, and under hostile global CSS.
 *
 * Pages: test/fixtures/positioning/*.html on 127.0.0.1; rules: test/fixtures/positioning/rules/
 * (a test-only pack). The spec builds its own variant of the extension with that pack added
 * (CRM_COACH_EXTRA_RULES, into a temp dir, never .output/), once per worker; the file's tests run
 * in one worker. CRM_COACH_POSITIONING_EXTENSION_DIR skips the build and tests that variant.
 *
 * Assertions are geometry (bounding boxes: adjacent to the target, inside the viewport) and
 * topmost-ness (document.elementFromPoint at the card's centre is our host, and the shadow root's
 * elementFromPoint is inside the card), polled until they hold; never timings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { clearExtensionStorage } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = join(ROOT, 'test/fixtures/positioning');
const PACK = 'positioning';
const GAP = 10; // offset() in components/overlay/use-anchor.ts
const TOLERANCE = 1.5;

interface Extension {
  context: BrowserContext;
  extensionId: string;
}

/** Builds the extension with the positioning pack added (about 4 s), unless given a build. */
function buildVariant(): { dir: string; cleanup: () => void } {
  const given = process.env.CRM_COACH_POSITIONING_EXTENSION_DIR;
  if (given) return { dir: given, cleanup: () => {} };
  const out = mkdtempSync(join(tmpdir(), 'crm-coach-positioning-'));
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'wxt', 'bin', 'wxt.mjs'), 'build'], {
    cwd: ROOT,
    env: { ...process.env, CRM_COACH_EXTRA_RULES: join(PAGES, 'rules'), CRM_COACH_OUT_DIR: out },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`wxt build of the positioning variant failed:\n${built.stdout}\n${built.stderr}`);
  return { dir: join(out, 'chrome-mv3'), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

const test = base.extend<{ page: Page; site: string }, { server: { url: string }; extension: Extension }>({
  server: [
    async ({}, use) => {
      const server = createServer((req, res) => {
        const name = /^\/positioning\/([a-z-]+)\/?$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)?.[1];
        let body: Buffer | null = null;
        try {
          body = name ? readFileSync(join(PAGES, `${name}.html`)) : null;
        } catch {
          body = null;
        }
        res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(body ?? 'not found');
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      await use({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
    { scope: 'worker' },
  ],
  extension: [
    async ({}, use) => {
      const variant = buildVariant();
      const launched = await launchWithExtension({ extensionDir: variant.dir });
      await use(launched);
      await launched.close();
      variant.cleanup();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  site: async ({ server }, use) => use(server.url),
  page: async ({ extension }, use) => {
    await clearExtensionStorage(extension);
    const page = await extension.context.newPage();
    await use(page);
    await page.close();
  },
});

// One build per run: the file's tests share one worker (and its build), in order.
test.describe.configure({ mode: 'default' });

const card = (page: Page, key: string) => page.locator(`crm-coach-overlay [role="dialog"][data-rule="${PACK}/${key}"]`);
const stepCard = (page: Page, id: string) => page.locator(`crm-coach-overlay [role="dialog"][data-step="${PACK}/${id}"]`);

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Geometry {
  target: Box;
  card: Box;
  placement: string;
  visibility: string;
  /** elementFromPoint at the card's centre is our host, and inside the shadow root, the card. */
  topmost: boolean;
  viewport: { w: number; h: number };
}

/** Where the card for `selector` (rule id or step id) and its target are, and who is on top. */
function geometry(page: Page, cardSelector: string, targetSelector: string): Promise<Geometry | null> {
  return page.evaluate(
    ([cardSel, targetSel]) => {
      const host = document.querySelector('crm-coach-overlay');
      const el = host?.shadowRoot?.querySelector<HTMLElement>(cardSel!);
      const target = document.querySelector(targetSel!);
      if (!host || !el || !target) return null;
      const box = (r: DOMRect) => ({ x: r.x, y: r.y, w: r.width, h: r.height });
      const c = el.getBoundingClientRect();
      const cx = c.x + c.width / 2;
      const cy = c.y + c.height / 2;
      const inner = host.shadowRoot!.elementFromPoint(cx, cy);
      return {
        target: box(target.getBoundingClientRect()),
        card: box(c),
        placement: el.dataset.placement ?? '',
        visibility: getComputedStyle(el).visibility,
        topmost: document.elementFromPoint(cx, cy) === host && !!inner && el.contains(inner),
        viewport: { w: document.documentElement.clientWidth, h: document.documentElement.clientHeight },
      };
    },
    [cardSelector, targetSelector],
  );
}

/** Everything wrong with how a card sits by its target (empty: adjacent, inside the viewport, on top). */
function problems(g: Geometry | null, expected: { side?: string; topmost?: boolean } = {}): string[] {
  if (!g) return ['no card or no target'];
  const out: string[] = [];
  const { target: t, card: c } = g;
  const side = g.placement.split('-')[0] ?? '';
  if (g.visibility !== 'visible') out.push(`card is ${g.visibility}`);
  if (expected.side && side !== expected.side) out.push(`placed ${g.placement}, expected ${expected.side}`);
  const distance: Record<string, number> = {
    top: t.y - (c.y + c.h),
    bottom: c.y - (t.y + t.h),
    left: t.x - (c.x + c.w),
    right: c.x - (t.x + t.w),
  };
  const d = distance[side];
  if (d === undefined || Math.abs(d - GAP) > TOLERANCE) out.push(`gap to the target on the ${side} is ${d?.toFixed(1)}, expected ${GAP}`);
  const overlaps = side === 'top' || side === 'bottom' ? c.x < t.x + t.w && c.x + c.w > t.x : c.y < t.y + t.h && c.y + c.h > t.y;
  if (!overlaps) out.push('card does not face its target');
  if (c.x < 0 || c.y < 0 || c.x + c.w > g.viewport.w + 0.5 || c.y + c.h > g.viewport.h + 0.5) out.push(`card ${JSON.stringify(c)} leaves the viewport`);
  if ((expected.topmost ?? true) && !g.topmost) out.push('card is not the topmost element at its centre');
  return out;
}

const rule = (key: string) => `[data-rule="${PACK}/${key}"]`;
const outside = (page: Page) => geometry(page, rule('modal.tooltips#open-dialog'), '[data-test="open-dialog"]');

test('a target in a scroll container: followed when the container scrolls, hidden when scrolled out', async ({ page, site }) => {
  await page.goto(`${site}/positioning/scroll`);
  const target = '[data-test="in-scroller"]';
  await expect.poll(async () => problems(await geometry(page, rule('scroll.tooltips#in-scroller'), target), { side: 'right' })).toEqual([]);
  const before = (await geometry(page, rule('scroll.tooltips#in-scroller'), target))!;

  await page.locator('[data-test="scroller"]').evaluate((el) => (el.scrollTop = 60));
  await expect
    .poll(async () => {
      const g = await geometry(page, rule('scroll.tooltips#in-scroller'), target);
      return [...problems(g, { side: 'right' }), ...(Math.abs(g!.card.y - (before.card.y - 60)) > TOLERANCE ? [`card at y ${g!.card.y}`] : [])];
    })
    .toEqual([]);

  // Scrolled out of the container's view: the card hides with its target, and comes back.
  await page.locator('[data-test="scroller"]').evaluate((el) => (el.scrollTop = 400));
  await expect(card(page, 'scroll.tooltips#in-scroller')).toBeHidden();
  await page.locator('[data-test="scroller"]').evaluate((el) => (el.scrollTop = 0));
  await expect.poll(async () => problems(await geometry(page, rule('scroll.tooltips#in-scroller'), target), { side: 'right' })).toEqual([]);
});

test('targets in a fixed header and a sticky bar stay attached while the page scrolls', async ({ page, site }) => {
  await page.goto(`${site}/positioning/fixed`);
  const fixed = () => geometry(page, rule('fixed.tooltips#fixed-header'), '[data-test="fixed-target"]');
  const sticky = () => geometry(page, rule('fixed.tooltips#sticky-header'), '[data-test="sticky-target"]');
  await expect.poll(async () => [...problems(await fixed(), { side: 'bottom' }), ...problems(await sticky(), { side: 'right' })]).toEqual([]);
  const fixedBefore = (await fixed())!.card;
  const stickyBefore = (await sticky())!.card;

  await page.evaluate(() => window.scrollTo(0, 1500));
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(1500);
  await expect
    .poll(async () => {
      const [f, s] = [await fixed(), await sticky()];
      return [
        ...problems(f, { side: 'bottom' }),
        ...problems(s, { side: 'right' }),
        // The fixed header did not move; the sticky bar moved up to stick under it.
        ...(Math.abs(f!.card.y - fixedBefore.y) > TOLERANCE ? [`fixed card moved to y ${f!.card.y}`] : []),
        ...(s!.card.y >= stickyBefore.y - 1 ? [`sticky card still at y ${s!.card.y}`] : []),
      ];
    })
    .toEqual([]);
});

test('a target inside a showModal() dialog: above it, clickable, reachable by keyboard; Esc closes only ours', async ({ page, site }) => {
  await page.goto(`${site}/positioning/modal`);
  const outside = () => geometry(page, rule('modal.tooltips#open-dialog'), '[data-test="open-dialog"]');
  const inside = () => geometry(page, rule('modal.tooltips#in-dialog'), '[data-test="in-dialog"]');
  await expect.poll(async () => problems(await outside(), { side: 'right' })).toEqual([]);

  await page.locator('[data-test="open-dialog"]').click();
  await expect.poll(() => page.evaluate(() => document.querySelector('dialog')!.matches(':modal'))).toBe(true);
  await expect.poll(async () => problems(await inside(), { side: 'bottom' })).toEqual([]);
  // The tooltip for the target outside is covered by the dialog (and inert): hidden meanwhile.
  await expect(card(page, 'modal.tooltips#open-dialog')).toBeHidden();

  // Keyboard: Tab from the dialog's last control reaches our tooltip.
  await page.locator('[data-test="save"]').focus();
  await page.keyboard.press('Tab');
  await expect(card(page, 'modal.tooltips#in-dialog').getByRole('button', { name: 'Helpful', exact: true })).toBeFocused();

  // Clickable: Playwright's click hit-tests the point, so an inert or covered card would fail here.
  await card(page, 'modal.tooltips#in-dialog').getByRole('button', { name: 'Helpful', exact: true }).click();
  await expect(card(page, 'modal.tooltips#in-dialog').getByRole('status')).toBeVisible();

  // The CRM's own popover (a full-page toast) opens above the dialog: we are raised above it.
  // (Its button sits under our tooltip, which is the point of being on top: press it directly.)
  await page.locator('#toast-button').evaluate((b: HTMLElement) => b.click());
  await expect.poll(() => page.evaluate(() => document.getElementById('toast')!.matches(':popover-open'))).toBe(true);
  await expect.poll(async () => problems(await inside(), { side: 'bottom' })).toEqual([]);

  // Esc in our tooltip dismisses it and leaves the CRM's dialog open.
  await card(page, 'modal.tooltips#in-dialog').getByRole('button', { name: 'Got it' }).focus();
  await page.keyboard.press('Escape');
  await expect(card(page, 'modal.tooltips#in-dialog')).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelector('dialog')!.open)).toBe(true);

  // Dialog closed: the tooltip outside it shows again, on top.
  await page.evaluate(() => {
    document.getElementById('toast')!.hidePopover();
    document.querySelector('dialog')!.close();
  });
  await expect.poll(async () => problems(await outside(), { side: 'right' })).toEqual([]);
  expect(await page.evaluate(() => document.querySelector('crm-coach-overlay')!.parentElement === document.documentElement)).toBe(true);
});

test('a target in a dialog already in the page is found when the dialog opens (only `open` changes)', async ({ page, site }) => {
  await page.goto(`${site}/positioning/modal`);
  const inside = () => geometry(page, rule('modal.tooltips#in-static-dialog'), '[data-test="in-static"]');
  await expect.poll(async () => problems(await outside(page), { side: 'right' })).toEqual([]);
  await expect(card(page, 'modal.tooltips#in-static-dialog')).toHaveCount(0);
  await page.locator('[data-test="open-static"]').click();
  await expect.poll(async () => problems(await inside(), { side: 'bottom' })).toEqual([]);
});

test('a walkthrough step inside a modal dialog takes focus when started from the help panel', async ({ page, site }) => {
  await page.goto(`${site}/positioning/modal`);
  await expect(card(page, 'modal.tooltips#open-dialog')).toBeVisible();
  await page.locator('[data-test="open-dialog"]').click();
  await expect(card(page, 'modal.tooltips#in-dialog')).toBeVisible();

  // The launcher is in our layer, above the dialog: usable while the dialog is open.
  await page.getByRole('button', { name: 'CRM Coach help' }).click();
  await page.locator('crm-coach-overlay [data-walkthrough="positioning/dialog-tour.walkthrough"]').click();
  const step = stepCard(page, 'dialog-tour.walkthrough#name');
  await expect(step).toBeFocused();
  await expect
    .poll(async () => problems(await geometry(page, '[data-step="positioning/dialog-tour.walkthrough#name"]', '[data-test="in-dialog"]'), { side: 'right' }))
    .toEqual([]);

  await page.keyboard.press('Escape');
  await expect(step).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelector('dialog')!.open)).toBe(true);
});

test('near the viewport edges flip and shift keep the card inside; after a resize it follows', async ({ page, site }) => {
  await page.goto(`${site}/positioning/edge`);
  const right = () => geometry(page, rule('edge.tooltips#right-edge'), '[data-test="right-edge"]');
  const bottom = () => geometry(page, rule('edge.tooltips#bottom-edge'), '[data-test="bottom-edge"]');
  const corner = () => geometry(page, rule('edge.tooltips#top-left'), '[data-test="top-left"]');
  await expect
    .poll(async () => [
      ...problems(await right(), { side: 'left', topmost: false }),
      ...problems(await bottom(), { side: 'top', topmost: false }),
      ...problems(await corner(), { side: 'bottom', topmost: false }),
    ])
    .toEqual([]);
  // shift() keeps 8 px from the edge in the corner.
  expect((await corner())!.card.x).toBeGreaterThanOrEqual(8 - TOLERANCE);

  await page.setViewportSize({ width: 900, height: 600 });
  await expect
    .poll(async () => {
      const [r, b] = [await right(), await bottom()];
      return [
        ...problems(r, { side: 'left', topmost: false }),
        ...problems(b, { side: 'top', topmost: false }),
        ...(r!.target.x > 900 - 4 - r!.target.w - TOLERANCE ? [] : ['right-edge target did not move']),
      ];
    })
    .toEqual([]);
});

test('right-to-left: "right" mirrors to the left, arrow and text follow, the launcher sits on the left', async ({ page, site }) => {
  await page.goto(`${site}/positioning/rtl`);
  await expect
    .poll(async () => [
      ...problems(await geometry(page, rule('rtl.tooltips#rtl-target'), '[data-test="rtl-target"]'), { side: 'left' }),
      // Inside a dir="ltr" island of the RTL page, "right" stays right.
      ...problems(await geometry(page, rule('rtl.tooltips#ltr-island'), '[data-test="ltr-island"]'), { side: 'right' }),
    ])
    .toEqual([]);

  const layout = await page.evaluate(
    ([rtlCard, ltrCard]) => {
      const host = document.querySelector('crm-coach-overlay')!;
      const rtl = host.shadowRoot!.querySelector<HTMLElement>(rtlCard!)!;
      const ltr = host.shadowRoot!.querySelector<HTMLElement>(ltrCard!)!;
      /** Where a one-line paragraph's text sits in its box: flush right, flush left, or neither. */
      const alignment = (p: Element) => {
        const range = document.createRange();
        range.selectNodeContents(p);
        const text = range.getBoundingClientRect();
        const box = p.getBoundingClientRect();
        return Math.abs(text.right - box.right) < 2 && text.left > box.left + 20 ? 'right' : Math.abs(text.left - box.left) < 2 ? 'left' : 'neither';
      };
      const arrow = rtl.querySelector('.arrow')!.getBoundingClientRect();
      const c = rtl.getBoundingClientRect();
      const gotIt = rtl.querySelector('button.primary')!.getBoundingClientRect();
      const launcher = host.shadowRoot!.querySelector('.launcher')!.getBoundingClientRect();
      return {
        direction: getComputedStyle(rtl).direction,
        arrowOnRight: arrow.x + arrow.width / 2 > c.x + c.width - 2,
        // Arabic rule text is right-aligned; English rule text in the same RTL layer reads from the left.
        arabicText: alignment(rtl.querySelector('.text p')!),
        englishText: alignment(ltr.querySelector('.title')!),
        // The actions row is mirrored: its end ("Got it") is on the left.
        gotItLeft: gotIt.x + gotIt.width / 2 < c.x + c.width / 2,
        launcherLeft: launcher.x + launcher.width / 2 < document.documentElement.clientWidth / 2,
      };
    },
    [rule('rtl.tooltips#rtl-target'), rule('rtl.tooltips#ltr-island')],
  );
  expect(layout).toEqual({ direction: 'rtl', arrowOnRight: true, arabicText: 'right', englishText: 'left', gotItLeft: true, launcherLeft: true });
});

test('hostile global CSS (all: unset, z-index games, html transform, body zoom, rules aimed at us) cannot restyle it', async ({ page, site }) => {
  await page.goto(`${site}/positioning/hostile`);
  await expect
    .poll(async () => problems(await geometry(page, rule('hostile.tooltips#hostile-target'), '[data-test="hostile-target"]'), { side: 'bottom' }))
    .toEqual([]);
  const style = await page.evaluate((selector) => {
    const host = document.querySelector('crm-coach-overlay')!;
    const el = host.shadowRoot!.querySelector<HTMLElement>(selector)!;
    const s = getComputedStyle(el);
    const text = getComputedStyle(el.querySelector('.text')!);
    return {
      host: getComputedStyle(host).display,
      background: s.backgroundColor,
      color: text.color,
      fontSize: text.fontSize,
      width: Math.round(el.getBoundingClientRect().width) <= 340 && el.getBoundingClientRect().width > 150,
    };
  }, rule('hostile.tooltips#hostile-target'));
  expect(style).toEqual({ host: 'block', background: 'rgb(29, 43, 58)', color: 'rgb(255, 255, 255)', fontSize: '14px', width: true });
  // Clickable through the page's full-screen cover at the top z-index.
  await card(page, 'hostile.tooltips#hostile-target').getByRole('button', { name: 'Got it' }).click();
  await expect(card(page, 'hostile.tooltips#hostile-target')).toHaveCount(0);
});
