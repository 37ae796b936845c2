import { browser } from 'wxt/browser';
import bundle from 'virtual:crm-coach/packs';
import { createMessageHandler } from '../lib/background/handle-message';
import { createPageHandler } from '../lib/background/handle-page-message';
import { DEFAULT_LIMITS, SignalStore } from '../lib/background/signal-store';
import { PROGRESS_KEY, ProgressStore } from '../lib/background/progress-store';
import { readContext, readSettings, updateSettings } from '../lib/background/settings';
import { readPolicy } from '../lib/policy/policy';

export default defineBackground(() => {
  const area = browser.storage.local;
  const signals = new SignalStore({ area, limits: DEFAULT_LIMITS });
  const progress = new ProgressStore(area);
  // Settings are read on every signal (pause): keep them in memory, re-read when they change.
  // A stopped worker simply reads them again on its next start.
  let settingsCache: ReturnType<typeof readSettings> | null = null;
  const settings = () => (settingsCache ??= readSettings(area));
  browser.storage.onChanged.addListener((changes, areaName) => {
    if (areaName === 'local' && 'settings' in changes) settingsCache = null;
  });
  // Enterprise policy (storage.managed): read when needed; it changes rarely and only by IT.
  const policy = () => readPolicy(browser.storage.managed);
  const handle = createMessageHandler({
    bundle: () => bundle,
    storeSignals: (records) => signals.add(records),
    storeComment: (comment) => signals.addComment(comment),
    injectOverlay: async (tabId, frameId) => {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/overlay.js'] });
    },
    progress,
    context: () => readContext(area),
    settings,
    extensionVersion: browser.runtime.getManifest().version,
  });
  const handlePage = createPageHandler({
    db: (op) => signals.use(op),
    health: () => signals.health(),
    limits: DEFAULT_LIMITS,
    settings,
    updateSettings: (change) => updateSettings(area, change),
    progress: () => progress.read(),
    resetProgress: () => area.remove(PROGRESS_KEY),
    packs: () => bundle.packs,
    policy,
  });
  const pageOrigin = new URL(browser.runtime.getURL('/')).origin;

  // Messages from our own extension pages (popup, options, insights), routed by prefix. Each
  // feature owns its handler and its zod schema; a prefix listed here is refused from anyone
  // but our own pages (a content script runs in a page the CRM controls).
  const pageRoutes = new Map<string, (message: unknown) => Promise<unknown>>([
    ['privacy:', handlePage],
    ['settings:', handlePage],
  ]);
  const routeOf = (type: unknown) => (typeof type === 'string' ? [...pageRoutes].find(([prefix]) => type.startsWith(prefix))?.[1] : undefined);

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our own content scripts and pages talk to us.
    if (sender.id !== browser.runtime.id) return false;
    // A content script's sender.url is the CRM page's; only our own pages have our origin.
    const fromOurPage = sender.url !== undefined && new URL(sender.url).origin === pageOrigin;
    const pageRoute = routeOf((message as { type?: unknown } | null)?.type);
    const reply = pageRoute
      ? fromOurPage
        ? pageRoute(message)
        : Promise.resolve({ error: 'not allowed from this sender' })
      : handle(message, { url: sender.url, tabId: sender.tab?.id, frameId: sender.frameId });
    reply.then(sendResponse, (error: unknown) => {
      console.error('[crm-coach] message failed', error);
      sendResponse({ error: 'internal error' });
    });
    return true; // async reply (a returned Promise is ignored by some implementations)
  });
});
