/**
 * The PII proof. A corpus of 500+ realistic personal and customer strings (test/fixtures/pii/)
 * is planted in the demo CRM's records, page titles, URLs (paths, query strings, hashes) and
 * typed into every form; a run exercises every screen of the demo pack, the walkthrough,
 * tooltips, a tip's action, feedback, the help panel and every friction detector of
 * docs/signals.md. Then a byte-level search of everything CRM Coach keeps or says (every
 * IndexedDB store, "Download my data", storage.local/session/sync, the console of the pages, the
 * extension's pages and its service worker) finds none of the corpus: not as typed, not
 * lower-cased, not URL-encoded.
 *
 * Feedback comments are the one place for the user's own words. They are typed with e-mails,
 * phone numbers, identity/organisation numbers and record ids only (never names: no scrubber can
 * find a name, and the form says not to write them), and none of those may survive the scrubber.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, ConsoleMessage, Locator, Page, Worker } from '@playwright/test';
import YAML from 'yaml';
import { FEEDBACK_KINDS, SIGNAL_CATEGORIES, SIGNAL_TYPES } from '../../lib/messages';
import { DWELL_BUCKETS, FRICTION_SIGNAL_TYPES } from '../../lib/signals/detectors/index';
import { DEFAULT_FRICTION_THRESHOLDS } from '../../lib/signals/thresholds';
import { EXTENSION_DIR, ROOT } from '../../scripts/lib/browser.mjs';
import { startDemoCrm } from '../fixtures/demo-crm/server.mjs';
import {
  CATEGORY_COUNTS,
  corpusOf,
  isValidFnr,
  isValidOrgnr,
  isValidSalesforceId,
  MIN_LENGTH,
  PII_CATEGORIES,
  PII_CORPUS,
  salesforceSuffix,
  type PiiEntry,
} from '../fixtures/pii/corpus';
import { planPii } from '../fixtures/pii/plant';
import { expect, readProgress, readSignals, test, tooltip, type StoredSignal } from './fixtures';

const plan = planPii();
const WALKTHROUGH = 'demo/log-a-call.walkthrough';
const step = (page: Page, id: string) => page.locator(`crm-coach-overlay [role="dialog"][data-step="${WALKTHROUGH}#${id}"]`);
const launcher = (page: Page) => page.getByRole('button', { name: 'CRM Coach help' });
const panel = (page: Page) => page.getByRole('dialog', { name: /^CRM Coach ·/ });
const h1 = (page: Page, name?: string) => page.locator('main').getByRole('heading', { level: 1, ...(name !== undefined && { name, exact: true }) });

// ------------------------------------------------------------------------ our own strings
/** Every id, enum, version and day CRM Coach legitimately stores: no corpus string may be inside one. */
function ownTokens(extensionVersion: string): string[] {
  const dir = path.join(ROOT, 'content-rules', 'demo');
  const tokens = ['demo', 'crm-coach', extensionVersion, ...SIGNAL_TYPES, ...FEEDBACK_KINDS, ...DWELL_BUCKETS, ...SIGNAL_CATEGORIES];
  for (const file of readdirSync(dir)) {
    const doc = YAML.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    const [base, kind] = file.replace(/\.yaml$/, '').split('.') as [string, string | undefined];
    if (kind === 'screen') tokens.push(`demo/${base}`);
    if (kind === 'tooltips' || kind === 'tips') for (const key of Object.keys(doc)) tokens.push(`demo/${base}.${kind}#${key}`);
    if (kind === 'walkthrough') {
      tokens.push(`demo/${base}.walkthrough`);
      for (const s of (doc.steps as Array<{ id: string }>) ?? []) tokens.push(`demo/${base}.walkthrough#${s.id}`);
    }
    if (base === 'pack') {
      tokens.push(String(doc.version), String(doc.crm));
      for (const s of (doc.stages as Array<{ id: string }>) ?? []) tokens.push(s.id);
    }
  }
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  tokens.push(day(-1), day(0), day(1), day(0).slice(0, 7));
  return tokens;
}

/** Every screen of the demo pack, from its rule files. */
function demoScreens(): string[] {
  return readdirSync(path.join(ROOT, 'content-rules', 'demo'))
    .filter((f) => f.endsWith('.screen.yaml'))
    .map((f) => `demo/${f.replace(/\.screen\.yaml$/, '')}`);
}

// --------------------------------------------------------------------------------- search
/** The forms a string can take on its way into storage or a log. */
function needles(value: string): string[] {
  return [
    ...new Set([
      value,
      encodeURIComponent(value),
      encodeURI(value),
      new URLSearchParams({ v: value }).toString().slice(2), // form encoding: spaces as "+"
      JSON.stringify(value).slice(1, -1), // escaped inside JSON
    ]),
  ];
}

interface Hit {
  dump: string;
  category: string;
  value: string;
  form: string;
  context: string;
}

/** Byte-level search of one dump for every corpus string in every form, case-insensitively. */
function search(dump: string, text: string, corpus: readonly PiiEntry[]): Hit[] {
  const bytes = Buffer.from(text, 'utf8');
  const lower = Buffer.from(text.toLowerCase(), 'utf8');
  const hits: Hit[] = [];
  corpus: for (const { category, value } of corpus) {
    for (const form of needles(value)) {
      for (const [hay, needle] of [
        [bytes, form],
        [lower, form.toLowerCase()],
      ] as const) {
        const at = hay.indexOf(Buffer.from(needle, 'utf8'));
        if (at < 0) continue;
        const context = hay.subarray(Math.max(0, at - 60), at + Buffer.byteLength(needle) + 60).toString('utf8');
        hits.push({ dump, category, value, form: needle === value ? 'as is' : needle, context });
        continue corpus; // one hit per string is enough to name it
      }
    }
  }
  return hits;
}

const describeHits = (hits: Hit[]) =>
  hits
    .slice(0, 8)
    .map((h) => `  ${h.dump}: ${h.category} ${JSON.stringify(h.value)} (${h.form}) in …${JSON.stringify(h.context)}…`)
    .join('\n') + (hits.length > 8 ? `\n  … and ${hits.length - 8} more` : '');

// -------------------------------------------------------------------------------- console
/** Every console message (and uncaught error) of the context's pages and service workers. */
function collectConsole(context: BrowserContext) {
  const lines: string[] = [];
  const pending = new Set<Promise<void>>();
  const onMessage = (where: string) => (msg: ConsoleMessage) => {
    const p = (async () => {
      const args = await Promise.all(msg.args().map((a) => a.jsonValue().then((v) => JSON.stringify(v) ?? '', () => '')));
      const from = msg.worker()?.url() ?? msg.page()?.url() ?? '';
      lines.push(`[${where} ${from.startsWith('chrome-extension:') ? 'extension' : 'page'}] ${msg.type()}: ${msg.text()} ${args.join(' ')}`);
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const onContext = onMessage('context');
  const onWorkerConsole = onMessage('service worker');
  const watched = new Set<Worker>();
  const watchWorker = (w: Worker) => {
    if (watched.has(w)) return;
    watched.add(w);
    w.on('console', onWorkerConsole);
  };
  const onWebError = (e: { error(): Error }) => lines.push(`[uncaught] ${e.error().message} ${e.error().stack ?? ''}`);
  context.on('console', onContext);
  context.on('serviceworker', watchWorker);
  context.on('weberror', onWebError);
  for (const w of context.serviceWorkers()) watchWorker(w);
  return {
    lines,
    async stop() {
      await Promise.all(pending);
      context.off('console', onContext);
      context.off('serviceworker', watchWorker);
      context.off('weberror', onWebError);
      for (const w of watched) w.off('console', onWorkerConsole);
    },
  };
}

// ---------------------------------------------------------------------------------- dumps
/** Every row of every object store of every IndexedDB database of the extension's origin. */
async function dumpIndexedDb(context: BrowserContext, extensionId: string): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/manifest.json`);
    return await page.evaluate(async () => {
      const out: Record<string, Record<string, unknown[]>> = {};
      for (const { name } of await indexedDB.databases()) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        out[name] = {};
        for (const store of db.objectStoreNames) {
          out[name][store] = await new Promise<unknown[]>((resolve, reject) => {
            const req = db.transaction(store).objectStore(store).getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
        }
        db.close();
      }
      return JSON.stringify(out);
    });
  } finally {
    await page.close();
  }
}

/** storage.local, .session and .sync, and the extension origin's localStorage. */
async function dumpExtensionStorage(context: BrowserContext, extensionId: string): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/manifest.json`);
    return await page.evaluate(async () => {
      const { storage } = (globalThis as any).chrome;
      const get = async (area: string) => {
        try {
          return await storage[area].get(null);
        } catch (error) {
          return `unavailable: ${String(error)}`;
        }
      };
      return JSON.stringify({ local: await get('local'), session: await get('session'), sync: await get('sync'), localStorage: { ...localStorage } });
    });
  } finally {
    await page.close();
  }
}

async function readComments(context: BrowserContext, extensionId: string): Promise<Array<{ text: string; rule: string; kind: string }>> {
  return (JSON.parse(await dumpIndexedDb(context, extensionId))['crm-coach']?.comments ?? []) as Array<{ text: string; rule: string; kind: string }>;
}

// ------------------------------------------------------------------------------- the tests
test('the PII corpus: 500+ distinct, realistic, valid strings that cannot occur by chance', () => {
  const values = PII_CORPUS.map((e) => e.value);
  expect(values.length).toBeGreaterThanOrEqual(500);
  expect(new Set(values).size, 'every string is distinct').toBe(values.length);
  for (const c of PII_CATEGORIES) expect(corpusOf(c).length, c).toBe(CATEGORY_COUNTS[c]);
  expect(values.filter((v) => v.length < MIN_LENGTH)).toEqual([]);

  // Valid by the real algorithms.
  expect(corpusOf('fnr').filter((v) => !isValidFnr(v))).toEqual([]);
  const fnr0 = corpusOf('fnr')[0]!;
  expect(isValidFnr(fnr0.slice(0, 10) + ((Number(fnr0[10]) + 1) % 10))).toBe(false); // a wrong check digit is caught
  expect(corpusOf('orgnr').filter((v) => !isValidOrgnr(v))).toEqual([]);
  expect(isValidOrgnr('974760673')).toBe(true); // Brønnøysundregistrene's own number
  expect(corpusOf('sf15').filter((v) => !/^[a-zA-Z0-9]{15}$/.test(v))).toEqual([]);
  expect(corpusOf('sf18').filter((v) => !isValidSalesforceId(v) || v.length !== 18)).toEqual([]);
  expect(salesforceSuffix('001A0000006Vm9r')).toBe('IAC'); // Salesforce's documented example
  expect(corpusOf('hubspot').filter((v) => !/^[1-9]\d{7,10}$/.test(v))).toEqual([]);
  expect(corpusOf('dynamics').filter((v) => !/^\{?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?$/.test(v))).toEqual([]);
  expect(corpusOf('email').filter((v) => !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v))).toEqual([]);
  expect(corpusOf('email').some((v) => /[æøå]/.test(v)), 'IDN e-mail addresses').toBe(true);
  expect(corpusOf('phone').some((v) => v.startsWith('+47 ')) && corpusOf('phone').some((v) => /^\+(?!47)/.test(v))).toBe(true);
  // Free text carries other categories' strings.
  const others = PII_CORPUS.filter((e) => e.category !== 'freetext').map((e) => e.value);
  for (const t of corpusOf('freetext')) expect(others.some((v) => t.includes(v)), t).toBe(true);
  // Deterministic: the same seed, the same corpus.
  expect(PII_CORPUS.slice(0, 3).map((e) => e.value)).toEqual(values.slice(0, 3));

  // No corpus string is inside anything CRM Coach legitimately stores, so every match is a leak.
  const version = JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8')).version as string;
  const tokens = ownTokens(version);
  expect(tokens.length).toBeGreaterThan(20);
  const clashes = values.filter((v) => tokens.some((t) => t.toLowerCase().includes(v.toLowerCase())));
  expect(clashes).toEqual([]);

  // The search finds a string as typed, upper/lower-cased, URL- and form-encoded, inside JSON.
  for (const entry of [PII_CORPUS.find((e) => e.category === 'person' && /[æøå]/.test(e.value))!, PII_CORPUS.find((e) => e.category === 'email')!]) {
    const v = entry.value;
    for (const dump of [v, v.toUpperCase(), encodeURIComponent(v).toLowerCase(), `?q=${new URLSearchParams({ v }).toString().slice(2)}`, JSON.stringify({ v })]) {
      expect(search('control', `…${dump}…`, [entry]), dump).toHaveLength(1);
    }
    expect(search('control', v.slice(1), [entry])).toHaveLength(0);
  }

  // The plan places every string somewhere; comments hold only what the scrubber claims to remove.
  const planted = JSON.stringify(plan.data) + plan.urls.map((u) => decodeURIComponent(u)).join('\n') + plan.searches.join('\n');
  expect(values.filter((v) => !planted.includes(v))).toEqual([]);
  const notForComments = PII_CORPUS.filter((e) => !plan.commentCategories.includes(e.category));
  for (const c of plan.comments) {
    expect(c.length).toBeLessThanOrEqual(500);
    expect(notForComments.filter((e) => c.includes(e.value)).map((e) => e.value), 'no names in comments').toEqual([]);
  }
});

test('PII planted in the CRM is never stored, exported or logged, while every detector fires', async ({ page, extension }) => {
  test.setTimeout(90_000); // about 20 s on 2 cores; the slack is for a loaded CI machine
  const { context, extensionId } = extension;
  const crm = await startDemoCrm({ port: 0, latencyMs: 60, data: plan.data });
  const consoleLog = collectConsole(context);
  const before = (await readSignals(extension)).length;
  const commentsBefore = (await readComments(context, extensionId)).length;
  // The helpers read storage from a new extension tab; bring the CRM's tab back to the front
  // afterwards (a background tab gets no animation frames, and its visibility changes).
  const signalTypes = async () => {
    const t = types(await readSignals(extension), before);
    await page.bringToFront();
    return t;
  };
  const progress = async () => {
    const p = await readProgress(extension);
    await page.bringToFront();
    return p;
  };
  /** What the browser was shown: page text, titles, links, field values, URLs, typed values. */
  const planted: string[] = [];
  const snap = async () => {
    planted.push(
      await page.evaluate(() => {
        const decode = (s: string) => {
          try {
            return decodeURIComponent(s);
          } catch {
            return s;
          }
        };
        return [
          document.title,
          decode(location.href),
          document.body.textContent ?? '',
          ...[...document.querySelectorAll('a[href]')].map((a) => decode(a.getAttribute('href') ?? '')),
          ...[...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map((i) => i.value),
        ].join('\n');
      }),
    );
  };
  const type = async (field: Locator, value: string) => {
    planted.push(value);
    await field.fill(value);
  };
  const feedback = async (tip: Locator, kind: string, comment: string) => {
    await tip.getByRole('button', { name: kind, exact: true }).click();
    await type(tip.getByLabel(/Anything to add/), comment);
    await tip.getByRole('button', { name: 'Send' }).click();
    await expect(tip.getByRole('status')).toHaveText('Thanks, noted.');
  };
  const [commentA, commentB, commentC, commentD] = plan.comments as [string, string, string, string];
  const mainNav = page.getByRole('navigation', { name: 'Main' });

  try {
    await test.step('contact list: planted names, companies, e-mails, phones; search; feedback; dismiss', async () => {
      await page.goto(`${crm.url}/contacts`);
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(plan.data.contacts.length + 1);
      await snap();
      const search = tooltip(page, 'demo/contact-list.tooltips#search');
      await expect(search).toBeVisible();
      await feedback(search, 'This process is confusing', commentA);
      const box = page.getByLabel('Search contacts');
      for (const term of plan.searches.filter((_, i) => i % 2 === 0)) await type(box, term);
      await box.fill('');
      await search.getByRole('button', { name: 'Got it' }).click();
      await expect(search).toHaveCount(0);
    });

    await test.step('help panel: opened, its own search used', async () => {
      await launcher(page).click();
      await expect(panel(page)).toBeVisible();
      await type(panel(page).getByRole('searchbox'), plan.panelSearch);
      await page.keyboard.press('Escape');
      await expect(panel(page)).toHaveCount(0);
    });

    await test.step('contact record (URL with PII): tip action, feedback, Escape, dead click, rage click', async () => {
      const url = plan.urls.find((u) => u.startsWith('/contacts/'))!;
      await page.goto(`${crm.url}${url}`);
      const contact = plan.data.contacts.find((c) => url.startsWith(`/contacts/${c.id}?`))!;
      await expect(h1(page, contact.name)).toBeVisible();
      await expect(page).toHaveTitle(`${contact.name} · Nordlys CRM`);
      await snap();
      const logCall = tooltip(page, 'demo/contact-record.tooltips#log-call');
      const tip = tooltip(page, 'demo/contact-record.tips#activity-tab');
      await expect(logCall).toBeVisible();
      await expect(tip).toBeVisible();
      await feedback(logCall, 'This is wrong', commentB);
      await logCall.focus();
      await page.keyboard.press('Escape');
      await expect(logCall).toHaveCount(0);
      await tip.getByRole('button', { name: 'Helpful', exact: true }).click();

      // Dead click: "Follow" (planted contacts only, see the demo CRM's README) has no handler: no
      // DOM change, no navigation, no toast. The definition is time-based (no response for
      // deadClick.windowMs): polling the store leaves the page alone while that window passes.
      const follow = page.getByRole('button', { name: 'Follow', exact: true });
      await follow.click();
      await expect.poll(signalTypes, { timeout: DEFAULT_FRICTION_THRESHOLDS.deadClick.windowMs + 9_000 }).toContain('dead-click');

      // Rage click: four clicks on the same spot within a second (3 clicks / 30 px / 1 s).
      const b = (await follow.boundingBox())!;
      for (let i = 0; i < 4; i++) await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);

      // The tip's faster path, the Activity tab (credits the ledger). A click elsewhere ends the
      // rage burst, so it is reported now.
      await page.getByRole('tab', { name: 'Activity' }).click();
      await expect(page.getByRole('tabpanel')).toBeVisible();
      await snap();
      await expect.poll(async () => Object.values((await progress())?.ledger ?? {})).toEqual([45]);
    });

    await test.step('the walkthrough, started from the help panel, through all six steps', async () => {
      await mainNav.getByRole('link', { name: 'Contacts' }).click();
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(plan.data.contacts.length + 1);
      await launcher(page).click();
      await panel(page).locator(`button[data-walkthrough="${WALKTHROUGH}"]`).click();
      await expect(step(page, 'open-contact')).toBeVisible();
      await page.getByRole('table').getByRole('row').nth(1).getByRole('link').first().click();
      await expect(step(page, 'open-dialog')).toBeVisible();
      await snap();
      await page.getByRole('button', { name: 'Log a call' }).click();
      await expect(step(page, 'subject')).toBeVisible();
      const dialog = page.getByRole('dialog', { name: 'Log a call' });
      await type(dialog.getByLabel('Subject'), plan.call.subject);
      await expect(step(page, 'save')).toBeVisible();
      await type(dialog.getByLabel('Notes'), plan.call.notes);
      await dialog.getByLabel('Outcome').selectOption('Left voicemail');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(step(page, 'go-to-activity')).toBeVisible();
      await mainNav.getByRole('link', { name: 'Reports' }).click();
      await page.getByRole('link', { name: 'Activity', exact: true }).click();
      await expect(step(page, 'see-it')).toBeVisible();
      await expect(page.getByText(plan.call.subject).first()).toBeVisible();
      await snap();
      await step(page, 'see-it').getByRole('button', { name: 'Finish' }).click();
      await expect(step(page, 'see-it')).toHaveCount(0);
    });

    await test.step('hash navigation: activity ↔ pipeline twice (back-and-forth), board tooltip', async () => {
      const reportsNav = page.getByRole('navigation', { name: 'Reports' });
      const board = tooltip(page, 'demo/reports-pipeline.tooltips#board');
      await reportsNav.getByRole('link', { name: 'Pipeline' }).click();
      await expect(page.getByRole('heading', { name: 'Pipeline', exact: true })).toBeVisible();
      await expect(board).toBeVisible();
      await snap();
      await feedback(board, 'Not helpful', commentC);
      await board.getByRole('button', { name: 'Got it' }).click();
      await reportsNav.getByRole('link', { name: 'Activity' }).click();
      await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
      await reportsNav.getByRole('link', { name: 'Pipeline' }).click();
      await expect(page.getByRole('heading', { name: 'Pipeline', exact: true })).toBeVisible();
      // Back (hashchange/popstate) to the activity report.
      await page.goBack();
      await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
    });

    await test.step('opportunities: search; create form: validation loop, error banner, bounce; save; edit', async () => {
      await mainNav.getByRole('link', { name: 'Opportunities' }).click();
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(plan.data.opportunities.length + 1);
      await snap();
      const box = page.getByLabel('Search opportunities');
      for (const term of plan.searches.filter((_, i) => i % 2 === 1)) await type(box, term);
      await box.fill('');

      await page.getByRole('button', { name: 'New opportunity' }).click();
      const form = page.getByRole('form', { name: 'New opportunity' });
      await expect(form).toBeVisible();
      const stage = tooltip(page, 'demo/opportunity-create.tooltips#stage');
      await expect(stage).toBeVisible();
      await feedback(stage, 'This process is confusing', commentD);
      await type(form.getByLabel('Opportunity name'), plan.opportunityForm.name);
      await type(form.getByLabel('Account'), plan.opportunityForm.account);
      await type(form.getByLabel('Amount'), plan.opportunityForm.badAmount);
      // Three failing submits: the third judges the second at once (no 3 s outcome wait).
      for (let i = 0; i < 3; i++) {
        await form.getByRole('button', { name: 'Save' }).click();
        await expect(page.getByRole('alert')).toBeVisible();
        await expect(form.getByLabel('Amount')).toBeFocused(); // the CRM sends the user back
      }
      await type(form.getByLabel('Amount'), plan.opportunityForm.goodAmount);
      await form.getByRole('button', { name: 'Save' }).click();
      await expect(h1(page, plan.opportunityForm.name)).toBeVisible();
      await expect(page).toHaveTitle(`${plan.opportunityForm.name} · Nordlys CRM`);
      await snap();
      const beacon = page.locator('crm-coach-overlay button.beacon[data-rule="demo/opportunity-record.tooltips#edit"]');
      await beacon.click();
      const edit = tooltip(page, 'demo/opportunity-record.tooltips#edit');
      await expect(edit).toBeVisible();
      await edit.getByRole('button', { name: 'Got it' }).click();
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const editForm = page.getByRole('form', { name: 'Edit opportunity' });
      await type(editForm.getByLabel('Opportunity name'), plan.opportunityForm.editName);
      await editForm.getByRole('button', { name: 'Save' }).click();
      await expect(h1(page, plan.opportunityForm.editName)).toBeVisible();
      await snap();
    });

    await test.step('form dwell: the create form left unsaved', async () => {
      await mainNav.getByRole('link', { name: 'Opportunities' }).click();
      await page.getByRole('button', { name: 'New opportunity' }).click();
      const form = page.getByRole('form', { name: 'New opportunity' });
      await type(form.getByLabel('Account'), plan.opportunityForm.dwellAccount);
      // No wait: the visit is reported in its bucket when it ends, and the smallest bucket
      // ("under-30s", formDwell.minBucket's default) counts too.
      await form.getByRole('button', { name: 'Cancel' }).click();
      await expect(h1(page, 'Opportunities')).toBeVisible();
    });

    await test.step('URLs carrying the rest of the corpus: full loads and SPA navigation', async () => {
      for (const [i, url] of plan.urls.entries()) {
        if (i % 4 === 0) await page.goto(`${crm.url}${url}`);
        else
          await page.evaluate((u) => {
            history.pushState(null, '', u);
            dispatchEvent(new PopStateEvent('popstate'));
          }, url);
        await expect(h1(page)).toBeVisible();
        await expect(h1(page)).not.toHaveText(/not found/i);
        await snap();
      }
    });

    await test.step('a malformed message with PII reaches the service worker (its log is checked too)', async () => {
      const ext = await context.newPage();
      await ext.goto(`chrome-extension://${extensionId}/manifest.json`);
      const reply = await ext.evaluate(
        (pii) => (globalThis as any).chrome.runtime.sendMessage({ type: 'signal:record', signal: { type: 'tip-shown', pack: 'demo', screen: pii[0], rule: pii[1], detail: pii[2] } }),
        [corpusOf('email')[0], corpusOf('person')[0], corpusOf('fnr')[0]],
      );
      expect(reply).toEqual({ error: 'malformed message' });
      await ext.close();
      // Canaries: the worker's warning and a page's log are captured, so both consoles are really searched.
      await page.evaluate(() => console.log('pii-spec canary from the CRM page'));
      await expect.poll(() => consoleLog.lines.some((l) => l.includes('rejected a malformed message'))).toBe(true);
      await expect.poll(() => consoleLog.lines.some((l) => l.includes('pii-spec canary from the CRM page'))).toBe(true);
    });

    await test.step('every detector fired, every screen was visited', async () => {
      // Soft: a detector that never fires is reported, and the privacy checks below still run.
      const soft = expect.configure({ soft: true });
      const expected = ['tip-shown', 'tip-dismissed', 'feedback', 'help-opened', 'walkthrough-started', 'walkthrough-step', 'walkthrough-completed', ...FRICTION_SIGNAL_TYPES];
      const missing = async () => {
        const seen = await signalTypes();
        return expected.filter((t) => !seen.includes(t));
      };
      await soft.poll(missing, { timeout: 8_000, message: 'signal types never recorded' }).toEqual([]);
      const signals = (await readSignals(extension)).slice(before) as Array<StoredSignal & Record<string, unknown>>;
      const of = (t: string) => signals.filter((s) => s.type === t);
      soft(of('dead-click'), 'dead click on "Follow"').toContainEqual(expect.objectContaining({ screen: 'demo/contact-record' }));
      soft(of('rage-click'), 'rage click on "Follow"').toContainEqual(expect.objectContaining({ screen: 'demo/contact-record', count: 4 }));
      for (const t of ['validation-loop', 'required-field-bounce', 'error-banner']) {
        soft(of(t), `${t} on the create form`).toContainEqual(expect.objectContaining({ screen: 'demo/opportunity-create' }));
      }
      soft(of('back-and-forth'), 'activity ↔ pipeline').toContainEqual(expect.objectContaining({ screen: 'demo/reports-pipeline', peer: 'demo/reports-activity' }));
      soft(of('form-dwell'), 'the unsaved create form').toContainEqual(expect.objectContaining({ screen: 'demo/opportunity-create', detail: 'under-30s' }));
      soft(of('feedback')).toHaveLength(5);
      const state = await progress();
      soft(Object.keys(state?.visits ?? {}), 'every screen of the demo pack visited').toEqual(expect.arrayContaining(demoScreens()));
      soft(state?.walkthroughs?.[WALKTHROUGH]?.completed, 'walkthrough completed').toBe(true);
    });

    await test.step('everything the corpus was planted in was really shown to the browser', async () => {
      const shown = planted.join('\n');
      const missing = PII_CORPUS.filter((e) => !shown.includes(e.value));
      expect.soft(missing.map((e) => `${e.category}: ${e.value}`), 'corpus strings the run never planted').toEqual([]);
    });

    const dumps: Record<string, string> = {};
    await test.step('dump: IndexedDB, "Download my data", extension storage, console', async () => {
      dumps['IndexedDB (all stores)'] = await dumpIndexedDb(context, extensionId);
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/popup.html`);
      await expect(popup.getByRole('heading', { name: 'What is recorded' })).toBeVisible();
      const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Download my data' }).click()]);
      const exported = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
      expect(JSON.parse(exported)).toMatchObject({ format: 'crm-coach-personal-data' });
      dumps['Download my data'] = exported;
      await popup.close();
      dumps['storage.local/session/sync + localStorage'] = await dumpExtensionStorage(context, extensionId);
      await consoleLog.stop();
      dumps['console (pages, extension pages, service worker)'] = consoleLog.lines.join('\n');
      expect(dumps['IndexedDB (all stores)']).toContain('"comments"');
      expect(dumps['storage.local/session/sync + localStorage']).toContain('"progress"');
    });

    await test.step('byte-level search: 0 corpus strings in any dump', async () => {
      for (const [name, text] of Object.entries(dumps)) {
        // Kept with the test's results: what was searched is there to read.
        await test.info().attach(`dump: ${name}`, { body: text, contentType: 'text/plain' });
        const hits = search(name, text, PII_CORPUS);
        expect.soft(hits.length, `${name}: ${hits.length} corpus strings found\n${describeHits(hits)}`).toBe(0);
      }
    });

    await test.step('comments: stored apart, and no e-mail, phone, number or id survives the scrubber', async () => {
      const comments = await readComments(context, extensionId);
      const ours = comments.slice(commentsBefore);
      expect(ours.map((c) => c.rule).sort()).toEqual(
        ['demo/contact-list.tooltips#search', 'demo/contact-record.tooltips#log-call', 'demo/reports-pipeline.tooltips#board', 'demo/opportunity-create.tooltips#stage'].sort(),
      );
      const scrubbable = PII_CORPUS.filter((e) => plan.commentCategories.includes(e.category));
      const hits = ours.flatMap((c) => search(`comment on ${c.rule}`, c.text, scrubbable));
      expect(hits.length, `${hits.length} strings survived the comment scrubber\n${describeHits(hits)}`).toBe(0);
    });
  } finally {
    await consoleLog.stop();
    await crm.close();
  }
});

function types(signals: StoredSignal[], from: number): string[] {
  return [...new Set(signals.slice(from).map((s) => s.type))].sort();
}
