import { browser } from 'wxt/browser';
import bundle from 'virtual:crm-coach/packs';
import packSources from 'virtual:crm-coach/pack-sources';
import { createMessageHandler } from '../lib/background/handle-message';
import { createPageHandler } from '../lib/background/handle-page-message';
import { DEFAULT_LIMITS, SignalStore } from '../lib/background/signal-store';
import { PROGRESS_KEY, ProgressStore } from '../lib/background/progress-store';
import { applyPolicy, readContext, readSettings, updateSettings } from '../lib/background/settings';
import { readPolicy } from '../lib/policy/policy';
import { routeMessage } from '../lib/background/route-message';
import { listRollups } from '../lib/store/database';
import { PackManager, REMOTE_REFRESH_MINUTES } from '../lib/packs/pack-manager';
import { adminModeOf, createPacksHandler } from '../lib/packs/handle-packs-message';
import { wireAdmin } from '../lib/editor/admin-background';
import { createInsightsHandler } from '../lib/insights/handle-insights';
import { extraMatchPatterns, syncContentScripts } from '../lib/packs/dynamic-hosts';
import { startSync } from '../lib/sync/background-sync';

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
  // The hot path (every content-script message) uses a cached copy, dropped when IT changes it.
  let policyCache: Promise<Awaited<ReturnType<typeof policy>>['policy']> | null = null;
  const policyInForce = () => (policyCache ??= policy().then((r) => r.policy));
  // Packs in force: bundled, imported, remote (signed), authored; one winner per pack id.
  const packs = new PackManager({
    area,
    bundled: bundle,
    // The bundled packs' YAML (for the editor and export). A static import: service workers
    // cannot import() at run time.
    bundledSources: () => packSources,
    policy: policyInForce,
    settings,
    updateSettings: (change) => updateSettings(area, change),
    missingRules: (since) =>
      signals.use(async (db) => (await listRollups(db, { from: since })).filter((r) => r.type === 'rule-missing' && r.rule).map((r) => ({ pack: r.pack, rule: r.rule! }))),
    extensionVersion: browser.runtime.getManifest().version,
  });
  const handlePacks = createPacksHandler({ manager: packs, policy: policyInForce });
  // Hosts the packs name beyond the build's: the content script goes there once granted.
  const builtMatches = browser.runtime.getManifest().content_scripts?.flatMap((c) => c.matches ?? []) ?? [];
  const syncHosts = () =>
    packs
      .bundle()
      .then((b) => syncContentScripts(browser as never, extraMatchPatterns(b, builtMatches), 'content-scripts/content.js'))
      .catch((error: unknown) => console.warn('[crm-coach] could not register the content script on extra hosts', error));
  browser.storage.onChanged.addListener((changes, areaName) => {
    if (areaName === 'managed') {
      policyCache = null;
      packs.invalidate();
      void syncHosts();
    }
    if (areaName === 'local' && 'packs' in changes) {
      packs.invalidate();
      void syncHosts();
    }
  });
  browser.permissions.onAdded.addListener(() => void syncHosts());
  browser.permissions.onRemoved.addListener(() => void syncHosts());
  // Remote packs: refreshed every few hours (and when added or asked for from the options page).
  const REFRESH_ALARM = 'packs:refresh';
  void browser.alarms.get(REFRESH_ALARM).then((existing) => {
    if (!existing) {
      void browser.alarms.create(REFRESH_ALARM, { periodInMinutes: REMOTE_REFRESH_MINUTES, delayInMinutes: 1 });
    }
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM) void packs.refresh().catch((error: unknown) => console.warn('[crm-coach] remote pack refresh failed', error));
  });
  void syncHosts();
  const handle = createMessageHandler({
    bundle: () => packs.bundle(),
    storeSignals: (records) => signals.add(records),
    storeComment: (comment) => signals.addComment(comment),
    injectOverlay: async (tabId, frameId) => {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/overlay.js'] });
    },
    progress,
    context: async () => {
      const [context, policyNow, inForce] = await Promise.all([readContext(area), policyInForce(), packs.bundle()]);
      return applyPolicy(context, policyNow, { browserLocale: navigator.language, packLocales: inForce.packs.flatMap((p) => p.locales) });
    },
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
    packs: async () => (await packs.bundle()).packs,
    policy,
  });
  // Upload of daily aggregates to the organisation's collector (off until configured): lib/sync/.
  const handleSync = startSync({ area, db: (op) => signals.use(op), policy, alarms: browser.alarms, extensionVersion: browser.runtime.getManifest().version });
  const pageOrigin = new URL(browser.runtime.getURL('/')).origin;

  // Messages from our own extension pages (popup, options, insights), routed by prefix. Each
  // feature owns its handler and its zod schema; a prefix listed here is refused from anyone
  // but our own pages (a content script runs in a page the CRM controls).
  const pageRoutes = new Map<string, (message: unknown) => Promise<unknown>>([
    ['privacy:', handlePage],
    ['settings:', handlePage],
    ['sync:', handleSync],
    ['packs:', handlePacks],
    // Authoring tools: element picker and draft preview (lib/editor/admin-background.ts).
    ['admin:', wireAdmin(browser, async () => adminModeOf(await policyInForce()).adminMode)],
    ['insights:', createInsightsHandler({ db: (op) => signals.use(op), packs: async () => (await packs.bundle()).packs, policy })],
  ]);

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Who may send what: lib/background/route-message.ts (unit-tested as a sender × type matrix).
    const route = routeMessage(pageRoutes, message, sender, { id: browser.runtime.id, pageOrigin });
    if (route.kind === 'ignore') return false;
    const reply =
      route.kind === 'page'
        ? route.handler(message)
        : route.kind === 'refuse'
          ? Promise.resolve({ error: 'not allowed from this sender' })
          : handle(message, { url: sender.url, tabId: sender.tab?.id, frameId: sender.frameId });
    reply.then(sendResponse, (error: unknown) => {
      console.error('[crm-coach] message failed', error);
      sendResponse({ error: 'internal error' });
    });
    return true; // async reply (a returned Promise is ignored by some implementations)
  });
});
