import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { createMessageHandler } from '../../lib/background/handle-message';
import { SignalStore } from '../../lib/background/signal-store';
import { compileRules } from '../../lib/rules/compile';
import { countSignals, listComments, listSignals, openCoachDb } from '../../lib/store/database';
import { signalRecordSchema } from '../../lib/signals/signal-record';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ProgressStore } from '../../lib/background/progress-store';
import { readContext, readSettings, updateSettings } from '../../lib/background/settings';
import { emptyProgress } from '../../lib/progress/progress';

const { bundle } = compileRules([
  { path: 'acme/pack.yaml', text: 'format: 1\nname: Acme\nversion: 2.1.0\ncrm: acme-crm\nhosts: ["*.acme.example"]\nlocales: [en]\ndefaultLocale: en\n' },
  { path: 'acme/home.screen.yaml', text: 'title: Home\nurl: [{ path: / }]\ntestUrls: [https://eu.acme.example/]\n' },
  { path: 'acme/home.tooltips.yaml', text: 'hello:\n  target: { css: h1 }\n  text: Hi\n' },
]);
const sender = { url: 'https://eu.acme.example/?contact=ola.nordmann@example.com', tabId: 3, frameId: 0 };
const signal = { type: 'tip-shown', pack: 'acme', screen: 'acme/home', rule: 'acme/home.tooltips#hello' };

function setup() {
  const store = new SignalStore();
  const log = vi.fn();
  const injectOverlay = vi.fn(async () => {});
  const handle = createMessageHandler({
    bundle: () => bundle,
    storeSignals: (r) => store.add(r),
    storeComment: (c) => store.addComment(c),
    injectOverlay,
    progress: new ProgressStore(fakeBrowser.storage.local, () => new Date('2026-11-28T13:45:12Z')),
    context: () => readContext(fakeBrowser.storage.local),
    settings: () => readSettings(fakeBrowser.storage.local),
    extensionVersion: '0.1.0',
    now: () => new Date('2026-11-28T13:45:12Z'),
    log,
  });
  return { handle, log, injectOverlay };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory(); // a fresh database per test
  fakeBrowser.reset();
});

describe('background message handler', () => {
  it('gives a tab the packs for its URL, chosen from the sender, not the message', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'rules:get' }, sender)).toEqual({
      packs: bundle.packs,
      progress: emptyProgress(),
      context: { liveStages: {} },
    });
    expect(await handle({ type: 'rules:get' }, { url: 'https://evil.example/' })).toEqual({ packs: [], progress: null, context: null });
    expect(await handle({ type: 'rules:get', host: 'eu.acme.example' }, { url: 'https://evil.example/' })).toEqual({
      error: 'malformed message',
    });
  });

  it('stores a tip-shown signal with ids, enums, versions and the day only', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'signal:record', signal }, sender)).toEqual({ ok: true });
    const rows = await listSignals(await openCoachDb());
    expect(rows).toEqual([
      {
        id: 1,
        type: 'tip-shown',
        day: '2026-11-28',
        crm: 'acme-crm',
        pack: 'acme',
        packVersion: '2.1.0',
        screen: 'acme/home',
        rule: 'acme/home.tooltips#hello',
        extensionVersion: '0.1.0',
      },
    ]);
    // Nothing of the page's URL (here an e-mail in the query) reaches storage.
    expect(JSON.stringify(rows)).not.toContain('ola.nordmann');
    expect(() => signalRecordSchema.parse({ ...rows[0], id: undefined, note: 'x' })).toThrow();
  });

  it.each([
    ['no type', {}],
    ['unknown type', { type: 'drop-tables' }],
    ['extra field', { type: 'signal:record', signal: { ...signal, url: 'https://x' } }],
    ['free text in an id', { type: 'signal:record', signal: { ...signal, rule: 'Ola Nordmann called' } }],
    ['not an object', 'hello'],
    ['null', null],
  ])('rejects a malformed message (%s), logs it without its content, and keeps serving', async (_, message) => {
    const { handle, log } = setup();
    expect(await handle(message, sender)).toEqual({ error: 'malformed message' });
    expect(JSON.stringify(log.mock.calls)).not.toContain('Ola Nordmann');
    expect(await handle({ type: 'signal:record', signal }, sender)).toEqual({ ok: true });
    expect(await countSignals(await openCoachDb())).toBe(1);
  });

  it('rejects well-formed signals naming rules that are not in the sender\'s packs', async () => {
    const { handle } = setup();
    const bad = { ...signal, rule: 'acme/home.tooltips#nope' };
    expect(await handle({ type: 'signal:record', signal: bad }, sender)).toEqual({ error: 'unknown ids' });
    expect(await handle({ type: 'signal:record', signal }, { url: 'https://evil.example/' })).toEqual({ error: 'unknown ids' });
    expect(await countSignals(await openCoachDb())).toBe(0);
  });

  it('injects the overlay into the sending tab and frame', async () => {
    const { handle, injectOverlay } = setup();
    expect(await handle({ type: 'overlay:load' }, { ...sender, frameId: 2 })).toEqual({ ok: true });
    expect(injectOverlay).toHaveBeenCalledWith(3, 2);
  });
});

describe('progress', () => {
  it('persists events from the sender\'s packs and hands them back with rules:get', async () => {
    const { handle } = setup();
    const events = [
      { type: 'visit', screen: 'acme/home' },
      { type: 'visit', screen: 'acme/home', from: 'acme/home' },
      { type: 'shown', rule: 'acme/home.tooltips#hello' },
      { type: 'dismissed', rule: 'acme/home.tooltips#hello' },
    ];
    for (const event of events) expect(await handle({ type: 'progress:event', event }, sender)).toEqual({ ok: true });
    const reply = (await handle({ type: 'rules:get' }, sender)) as { progress: unknown };
    expect(reply.progress).toEqual({
      rules: { 'acme/home.tooltips#hello': { shown: 1, lastShownDay: '2026-11-28', dismissed: true, actions: 0 } },
      visits: { 'acme/home': 2 },
      visitsFrom: { 'acme/home > acme/home': 1 },
      walkthroughs: {},
      ledger: {},
    });
  });

  it('rejects events naming ids outside the sender\'s packs, and free text', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'progress:event', event: { type: 'visit', screen: 'other/x' } }, sender)).toEqual({ error: 'unknown ids' });
    expect(await handle({ type: 'progress:event', event: { type: 'shown', rule: 'acme/home.tooltips#hello' } }, { url: 'https://evil.example/' })).toEqual({
      error: 'unknown ids',
    });
    expect(await handle({ type: 'progress:event', event: { type: 'visit', screen: 'acme/home', note: 'Ola' } }, sender)).toEqual({
      error: 'malformed message',
    });
  });

  it('survives a corrupt stored value by starting over, and serializes concurrent writers', async () => {
    await fakeBrowser.storage.local.set({ progress: { rules: 'garbage' } });
    const store = new ProgressStore(fakeBrowser.storage.local);
    await Promise.all(Array.from({ length: 20 }, () => store.apply([{ type: 'visit', screen: 'acme/home' }])));
    expect((await store.read()).visits).toEqual({ 'acme/home': 20 });
  });
});

describe('friction signals', () => {
  const friction = (over: Record<string, unknown>) => ({ type: 'signal:record', signal: { pack: 'acme', screen: 'acme/home', ...over } });

  it('stores detections against the screen, with enums and small numbers only', async () => {
    const { handle } = setup();
    expect(await handle(friction({ type: 'dead-click' }), sender)).toEqual({ ok: true });
    expect(await handle(friction({ type: 'rage-click', rule: 'acme/home.tooltips#hello', count: 4 }), sender)).toEqual({ ok: true });
    expect(await handle(friction({ type: 'form-dwell', detail: '2m-5m' }), sender)).toEqual({ ok: true });
    expect(await handle(friction({ type: 'back-and-forth', peer: 'acme/home' }), sender)).toEqual({ ok: true });
    const rows = await listSignals(await openCoachDb());
    expect(rows.map(({ type, rule, count, detail, peer }) => ({ type, rule, count, detail, peer }))).toEqual([
      { type: 'dead-click', rule: undefined, count: undefined, detail: undefined, peer: undefined },
      { type: 'rage-click', rule: 'acme/home.tooltips#hello', count: 4, detail: undefined, peer: undefined },
      { type: 'form-dwell', rule: undefined, count: undefined, detail: '2m-5m', peer: undefined },
      { type: 'back-and-forth', rule: undefined, count: undefined, detail: undefined, peer: 'acme/home' },
    ]);
  });

  it.each([
    ['a count on another type', { type: 'dead-click', count: 3 }, 'unknown ids'],
    ['a dwell bucket on another type', { type: 'rage-click', detail: '2m-5m' }, 'unknown ids'],
    ['a form-dwell without its bucket', { type: 'form-dwell' }, 'unknown ids'],
    ['a peer that is not a screen of the pack', { type: 'back-and-forth', peer: 'other/x' }, 'unknown ids'],
    ['a rule of another pack', { type: 'dead-click', rule: 'other/x.tooltips#y' }, 'unknown ids'],
    ['a huge count', { type: 'rage-click', count: 5000 }, 'malformed message'],
    ['free text as a bucket', { type: 'form-dwell', detail: 'Ola was slow' }, 'malformed message'],
  ])('rejects %s', async (_, signal, error) => {
    const { handle } = setup();
    expect(await handle(friction(signal), sender)).toEqual({ error });
  });
});

describe('feedback', () => {
  it('stores the kind as a signal and the comment apart, scrubbed', async () => {
    const { handle } = setup();
    const feedback = { type: 'feedback', pack: 'acme', screen: 'acme/home', rule: 'acme/home.tooltips#hello', detail: 'confusing' };
    const comment = 'Ola (ola@example.com, +47 912 34 567, 12345678901) says the stage field is confusing';
    expect(await handle({ type: 'feedback:record', signal: feedback, comment }, sender)).toEqual({ ok: true });
    const db = await openCoachDb();
    expect((await listSignals(db)).map((s) => [s.type, s.rule, s.detail])).toEqual([['feedback', 'acme/home.tooltips#hello', 'confusing']]);
    const comments = await listComments(db);
    expect(comments).toEqual([
      {
        id: 1,
        day: '2026-11-28',
        pack: 'acme',
        rule: 'acme/home.tooltips#hello',
        kind: 'confusing',
        text: 'Ola ([removed], [removed], [removed]) says the stage field is confusing',
        shared: false,
      },
    ]);
    // The signal never carries the words.
    expect(JSON.stringify(await listSignals(db))).not.toContain('confusing ');
  });

  it('rejects feedback without a kind, or naming another pack\'s rule', async () => {
    const { handle } = setup();
    const base = { type: 'feedback', pack: 'acme', screen: 'acme/home', rule: 'acme/home.tooltips#hello' };
    expect(await handle({ type: 'feedback:record', signal: base }, sender)).toEqual({ error: 'malformed message' });
    expect(await handle({ type: 'feedback:record', signal: { ...base, rule: 'x/y.tips#z', detail: 'wrong' } }, sender)).toEqual({
      error: 'unknown ids',
    });
  });
});

describe('SignalStore', () => {
  it('reopens the database after the browser closed the connection', async () => {
    const store = new SignalStore();
    const record = {
      type: 'tip-shown' as const, day: '2026-11-28', crm: 'x', pack: 'x', packVersion: '1.0.0',
      screen: 'x/y', rule: 'x/y.tooltips#z', extensionVersion: '0.1.0',
    };
    await store.add([record]);
    const db = await openCoachDb();
    // The browser closing our connection (as "clear site data" does) looks like this to us.
    const held = await (store as unknown as { db: Promise<{ close(): void }> }).db;
    held.close();
    await store.add([record]);
    expect(await countSignals(db)).toBe(2);
  });
});
