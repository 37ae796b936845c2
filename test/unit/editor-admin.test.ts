import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createAdmin, crmTabFor, PICKER_PORT, type AdminDeps } from '../../lib/editor/admin-background';
import { isPreviewRequest, previewPackFor, PREVIEW_MESSAGE } from '../../lib/content/preview';
import { readRuleFiles } from '../../lib/rules/read-rule-files';
import { checkDraft } from '../../lib/editor/check-draft';
import { debounced, discardDraft, draftKey, loadDraft, saveDraft } from '../../lib/editor/drafts';

const demo = readRuleFiles('content-rules')
  .filter((f) => f.path.startsWith('demo/'))
  .map((f) => ({ path: f.path.slice('demo/'.length), text: f.text }));
const ID = 'test-extension-id';
const tab = (id: number, url: string, lastAccessed: number) => ({ id, url, lastAccessed, active: false, windowId: 1 }) as never;

function fakePort(name: string, sender: { id?: string; tab?: { id: number }; frameId?: number }) {
  const onMessage: Array<(m: unknown) => void> = [];
  const onDisconnect: Array<() => void> = [];
  return {
    name,
    sender,
    disconnect: vi.fn(),
    onMessage: { addListener: (f: (m: unknown) => void) => onMessage.push(f) },
    onDisconnect: { addListener: (f: () => void) => onDisconnect.push(f) },
    post: (m: unknown) => onMessage.forEach((f) => f(m)),
    gone: () => onDisconnect.forEach((f) => f()),
  };
}

function setup(overrides: Partial<AdminDeps> = {}) {
  const deps: AdminDeps = {
    queryTabs: async () => [tab(1, 'https://example.com/', 9), tab(2, 'http://127.0.0.1:4173/contacts', 5), tab(3, 'http://127.0.0.1:4173/reports', 7)],
    focusTab: vi.fn(async () => {}),
    injectPicker: vi.fn(async () => {}),
    sendToTab: vi.fn(async () => ({ ok: true })),
    runtimeId: ID,
    ...overrides,
  };
  return { deps, admin: createAdmin(deps) };
}

describe('the CRM tab to pick and preview in', () => {
  it('is the most recently used tab on one of the pack hosts', () => {
    const hosts = checkDraft('demo', demo).pack!.hosts;
    expect(crmTabFor({ hosts }, [tab(1, 'https://example.com/', 9), tab(2, 'http://127.0.0.1:1/a', 5), tab(3, 'http://127.0.0.1:2/b', 7)])).toMatchObject({ id: 3 });
    expect(crmTabFor({ hosts }, [tab(1, 'https://example.com/', 9), tab(4, 'chrome://newtab', 10)])).toBeUndefined();
  });
});

describe('picking: only the picker of the tab a pick is pending for is heard', () => {
  it('injects into that tab and answers with the chosen target', async () => {
    const { admin, deps } = setup();
    const reply = admin.handlePage({ type: 'admin:pick', pack: 'demo', files: demo });
    await vi.waitFor(() => expect(deps.injectPicker).toHaveBeenCalledWith(3));
    const port = fakePort(PICKER_PORT, { id: ID, tab: { id: 3 }, frameId: 0 });
    admin.onConnect(port as never);
    expect(port.disconnect).not.toHaveBeenCalled();
    port.post({ type: 'picked', target: { role: 'button', name: 'New contact' } });
    await expect(reply).resolves.toEqual({ target: { role: 'button', name: 'New contact' } });
    expect(port.disconnect).toHaveBeenCalled(); // the picker leaves the page
  });

  it.each([
    ['another port name', 'something-else', { id: ID, tab: { id: 3 }, frameId: 0 }],
    ['another tab', PICKER_PORT, { id: ID, tab: { id: 2 }, frameId: 0 }],
    ['a subframe', PICKER_PORT, { id: ID, tab: { id: 3 }, frameId: 4 }],
    ['another extension', PICKER_PORT, { id: 'other', tab: { id: 3 }, frameId: 0 }],
  ])('refuses %s', async (_what, name, sender) => {
    const { admin, deps } = setup();
    void admin.handlePage({ type: 'admin:pick', pack: 'demo', files: demo });
    await vi.waitFor(() => expect(deps.injectPicker).toHaveBeenCalled());
    const port = fakePort(name, sender);
    admin.onConnect(port as never);
    if (name === PICKER_PORT) expect(port.disconnect).toHaveBeenCalled();
    port.post({ type: 'picked', target: { css: 'x' } }); // not listened to
  });

  it('refuses a picker port when no pick is pending', () => {
    const { admin } = setup();
    const port = fakePort(PICKER_PORT, { id: ID, tab: { id: 3 }, frameId: 0 });
    admin.onConnect(port as never);
    expect(port.disconnect).toHaveBeenCalled();
  });

  it('a malformed report is an error; a closed tab or Esc is a cancel', async () => {
    for (const [report, expected] of [
      [{ type: 'picked', target: { css: 'a', role: 'button' } }, { error: expect.any(String) }],
      [{ type: 'picked', target: { css: 'a', onclick: 'x' } }, { error: expect.any(String) }],
      [{ type: 'cancelled' }, { cancelled: true }],
      ['gone', { cancelled: true }],
    ] as const) {
      const { admin, deps } = setup();
      const reply = admin.handlePage({ type: 'admin:pick', pack: 'demo', files: demo });
      await vi.waitFor(() => expect(deps.injectPicker).toHaveBeenCalled());
      const port = fakePort(PICKER_PORT, { id: ID, tab: { id: 3 }, frameId: 0 });
      admin.onConnect(port as never);
      if (report === 'gone') port.gone();
      else port.post(report);
      await expect(reply).resolves.toEqual(expected);
    }
  });

  it('says what to do when no CRM tab is open, and refuses when policy turns authoring off', async () => {
    const { admin } = setup({ queryTabs: async () => [] });
    await expect(admin.handlePage({ type: 'admin:pick', pack: 'demo', files: demo })).resolves.toMatchObject({ error: expect.stringMatching(/open the CRM/) });
    const off = setup({ allowed: async () => false }).admin;
    await expect(off.handlePage({ type: 'admin:pick', pack: 'demo', files: demo })).resolves.toMatchObject({ error: expect.stringMatching(/turned off/) });
    await expect(admin.handlePage({ type: 'admin:nope' })).resolves.toEqual({ error: 'bad admin message' });
  });
});

describe('preview', () => {
  it('compiles the draft and sends the one compiled rule to the CRM tab', async () => {
    const { admin, deps } = setup();
    const files = demo.map((f) => (f.path === 'contact-list.tooltips.yaml' ? { ...f, text: f.text.replace('Find anyone in two keystrokes', 'Draft title') } : f));
    await expect(admin.handlePage({ type: 'admin:preview', pack: 'demo', files, id: 'demo/contact-list.tooltips#search' })).resolves.toEqual({ ok: true, tab: '127.0.0.1:4173' });
    const [tabId, message] = (deps.sendToTab as ReturnType<typeof vi.fn>).mock.calls[0]!;
    expect(tabId).toBe(3);
    expect(isPreviewRequest(message)).toBe(true);
    const rule = (message as { pack: { rules: Array<{ id: string; title: unknown }> } }).pack.rules.find((r) => r.id === 'demo/contact-list.tooltips#search');
    expect(rule?.title).toMatchObject({ en: 'Draft title' });
  });

  it('refuses an id the draft does not have, and says when the tab has no content script', async () => {
    const { admin } = setup();
    await expect(admin.handlePage({ type: 'admin:preview', pack: 'demo', files: demo, id: 'demo/x.tooltips#y' })).resolves.toMatchObject({ error: expect.stringMatching(/not in the draft/) });
    const broken = setup({ sendToTab: async () => Promise.reject(new Error('no receiver')) }).admin;
    await expect(broken.handlePage({ type: 'admin:preview', pack: 'demo', files: demo, id: 'demo/contact-list.tooltips#search' })).resolves.toMatchObject({ error: expect.stringMatching(/reload the CRM tab/) });
  });

  it('the preview pack shows only that rule, on any URL, always, with nothing gating it', () => {
    const pack = checkDraft('demo', demo).pack!;
    const p = previewPackFor(pack, 'demo/contact-list.tooltips#search')!;
    expect(p.rules).toHaveLength(1);
    expect(p.rules[0]).toMatchObject({ frequency: 'always', when: undefined });
    expect(p.screens).toEqual([expect.objectContaining({ id: 'demo/contact-list', url: [{ specificity: 0 }], probes: [] })]);
    expect(p.walkthroughs).toEqual([]);
    const w = previewPackFor(pack, 'demo/log-a-call.walkthrough')!;
    expect(w.walkthroughs.map((x) => x.id)).toEqual(['demo/log-a-call.walkthrough']);
    expect(w.rules).toEqual([]);
    expect(previewPackFor(pack, 'demo/nope')).toBeUndefined();
    expect(isPreviewRequest({ type: PREVIEW_MESSAGE, id: 'x', pack: { rules: [] } })).toBe(false);
  });
});

describe('drafts', () => {
  it('are kept per pack until discarded, and a bad stored value reads as none', async () => {
    const store: Record<string, unknown> = {};
    const area = {
      get: async (k: string) => ({ [k]: store[k] }),
      set: async (items: Record<string, unknown>) => void Object.assign(store, items),
      remove: async (k: string) => void delete store[k],
    };
    await saveDraft(area, { pack: 'demo', files: [{ path: 'a.yaml', text: 'x' }] }, 42);
    await expect(loadDraft(area, 'demo')).resolves.toEqual({ pack: 'demo', files: [{ path: 'a.yaml', text: 'x' }], savedAt: 42 });
    await expect(loadDraft(area, 'other')).resolves.toBeUndefined();
    store[draftKey('other')] = { pack: 'other', files: 'nope' };
    await expect(loadDraft(area, 'other')).resolves.toBeUndefined();
    await discardDraft(area, 'demo');
    await expect(loadDraft(area, 'demo')).resolves.toBeUndefined();
    expect(readFileSync('lib/editor/drafts.ts', 'utf8')).toContain('storage.local');
  });

  it('saving is debounced, and flushed at once on pagehide', () => {
    vi.useFakeTimers();
    const save = vi.fn();
    const d = debounced(save, 500);
    d.schedule();
    d.schedule();
    vi.advanceTimersByTime(499);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(save).toHaveBeenCalledTimes(1);
    d.schedule();
    d.flush();
    expect(save).toHaveBeenCalledTimes(2);
    d.flush();
    expect(save).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
