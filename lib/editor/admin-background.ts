/**
 * The background side of the authoring tools (prefix "admin:", from our own pages only):
 * - pick:    find the CRM tab the admin used last for this pack, inject the picker there
 *            (entrypoints/picker.ts, unlisted, like the overlay), and answer with the target
 *            the admin chose. The picker answers over a port, and only the picker of the tab
 *            a pick is pending for is heard: any other port, tab or frame is disconnected.
 * - preview: compile the DRAFT here (the editor's files, never published) and hand the one
 *            compiled rule or walkthrough to that tab's content script, which shows it once
 *            without recording anything (lib/content/preview.ts).
 */
import type { Browser, WxtBrowser } from 'wxt/browser';

type Tab = Browser.tabs.Tab;
type Port = Browser.runtime.Port;
import { hostMatches, type CompiledPack } from '../rules/compiled';
import { formatDiagnostic } from '../rules/diagnostics';
import { adminMessage, pickerReport, type PickReply, type PreviewReply } from './admin-messages';
import { checkDraft, type DraftCheck } from './check-draft';
import { PREVIEW_MESSAGE } from '../content/preview';

export const PICKER_PORT = 'crm-coach:picker';
/** A pick the admin walked away from ends by itself (Chrome ends a request after 5 minutes anyway). */
const PICK_TIMEOUT_MS = 4 * 60_000;

export interface AdminDeps {
  queryTabs: () => Promise<Tab[]>;
  focusTab: (tab: Tab) => Promise<void>;
  injectPicker: (tabId: number) => Promise<void>;
  sendToTab: (tabId: number, message: unknown) => Promise<unknown>;
  runtimeId: string;
  /** Policy adminMode: authoring tools off means these messages are refused. */
  allowed?: () => Promise<boolean>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface PendingPick {
  tabId: number;
  resolve: (reply: PickReply) => void;
  port: Port | null;
  timer: unknown;
}

/** The tab to pick or preview in: the most recently used tab whose URL is on one of the pack's hosts. */
export function crmTabFor(pack: Pick<CompiledPack, 'hosts'>, tabs: readonly Tab[]): Tab | undefined {
  const onPack = tabs.filter((t) => {
    if (t.id === undefined || !t.url) return false;
    try {
      const url = new URL(t.url);
      return pack.hosts.some((h) => hostMatches(h, url.protocol, url.hostname));
    } catch {
      return false;
    }
  });
  return onPack.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0) || Number(b.active) - Number(a.active))[0];
}

export function createAdmin(deps: AdminDeps) {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let pending: PendingPick | null = null;

  const finish = (reply: PickReply) => {
    const p = pending;
    if (!p) return;
    pending = null;
    clearTimer(p.timer);
    try {
      p.port?.disconnect(); // removes the picker from the page
    } catch {
      // the tab is gone
    }
    p.resolve(reply);
  };

  function draftPack(pack: string, files: Array<{ path: string; text: string }>): { error: string } | { compiled: CompiledPack; check: DraftCheck } {
    const check = checkDraft(pack, files);
    if (!check.pack) {
      const first = check.diagnostics.find((d) => d.severity === 'error');
      return { error: `the draft of "${pack}" does not compile${first ? `: ${formatDiagnostic(first)}` : ''}` };
    }
    return { compiled: check.pack, check };
  }

  async function findTab(compiled: CompiledPack) {
    const tab = crmTabFor(compiled, await deps.queryTabs());
    return tab ?? null;
  }

  async function pick(pack: string, files: Array<{ path: string; text: string }>): Promise<PickReply> {
    const draft = draftPack(pack, files);
    if ('error' in draft) return { error: draft.error };
    const tab = await findTab(draft.compiled);
    if (!tab) return { error: `open the CRM (${draft.compiled.hosts.map((h) => h.host).join(', ')}) in a tab first, then pick again` };
    finish({ cancelled: true }); // one pick at a time
    const reply = new Promise<PickReply>((resolve) => {
      pending = { tabId: tab.id!, resolve, port: null, timer: setTimer(() => finish({ error: 'the pick timed out' }), PICK_TIMEOUT_MS) };
    });
    try {
      await deps.injectPicker(tab.id!);
      await deps.focusTab(tab).catch(() => {});
    } catch (error) {
      finish({ error: `could not start picking in that tab (${error instanceof Error ? error.message : 'reload it'})` });
    }
    return reply;
  }

  async function preview(pack: string, files: Array<{ path: string; text: string }>, id: string): Promise<PreviewReply> {
    const draft = draftPack(pack, files);
    if ('error' in draft) return { error: draft.error };
    const { compiled } = draft;
    const known = compiled.rules.some((r) => r.id === id) || compiled.walkthroughs.some((w) => w.id === id);
    if (!known) {
      const problems = draft.check.diagnostics.filter((d) => d.severity === 'error').length;
      return { error: `"${id}" is not in the draft${problems ? ` (the draft has ${problems} error(s): fix them first)` : ''}` };
    }
    const tab = await findTab(compiled);
    if (!tab) return { error: `open the CRM (${compiled.hosts.map((h) => h.host).join(', ')}) in a tab first, then preview again` };
    let answer: unknown;
    try {
      answer = await deps.sendToTab(tab.id!, { type: PREVIEW_MESSAGE, pack: compiled, id });
    } catch {
      return { error: 'CRM Coach is not running in that tab yet: reload the CRM tab, then preview again' };
    }
    if (answer && typeof answer === 'object' && 'error' in answer) return { error: String((answer as { error: unknown }).error) };
    await deps.focusTab(tab).catch(() => {});
    return { ok: true, tab: new URL(tab.url!).host };
  }

  return {
    /** "admin:" messages from our own pages. */
    async handlePage(message: unknown): Promise<unknown> {
      if (deps.allowed && !(await deps.allowed())) return { error: 'authoring is turned off by your organisation (policy adminMode)' };
      const parsed = adminMessage.safeParse(message);
      if (!parsed.success) return { error: 'bad admin message' };
      const m = parsed.data;
      if (m.type === 'admin:pick') return pick(m.pack, m.files);
      if (m.type === 'admin:pick-cancel') {
        finish({ cancelled: true });
        return { ok: true };
      }
      return preview(m.pack, m.files, m.id);
    },

    /** runtime.onConnect: only the picker of the tab a pick is pending for, in its top frame. */
    onConnect(port: Port): void {
      if (port.name !== PICKER_PORT) return;
      const sender = port.sender;
      const p = pending;
      if (!p || p.port || sender?.id !== deps.runtimeId || sender.tab?.id !== p.tabId || (sender.frameId ?? 0) !== 0) {
        port.disconnect();
        return;
      }
      p.port = port;
      port.onMessage.addListener((raw: unknown) => {
        if (pending !== p) return;
        const report = pickerReport.safeParse(raw);
        if (!report.success) return finish({ error: 'the picker sent something unexpected' });
        finish(report.data.type === 'picked' ? { target: report.data.target } : { cancelled: true });
      });
      port.onDisconnect.addListener(() => {
        // The tab navigated or closed while picking.
        if (pending === p) finish({ cancelled: true });
      });
    },
  };
}

/** The real browser's side of it: entrypoints/background.ts wires this with one line. */
export function wireAdmin(browser: WxtBrowser, allowed: () => Promise<boolean>): (message: unknown) => Promise<unknown> {
  const admin = createAdmin({
    queryTabs: () => browser.tabs.query({}),
    focusTab: async (tab) => {
      await browser.tabs.update(tab.id!, { active: true });
      if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
    },
    injectPicker: async (tabId) => {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: ['/picker.js' as never] });
    },
    sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message, { frameId: 0 }),
    runtimeId: browser.runtime.id,
    allowed,
  });
  browser.runtime.onConnect.addListener((port) => admin.onConnect(port));
  return (message) => admin.handlePage(message);
}
