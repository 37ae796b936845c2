import { browser } from 'wxt/browser';
import bundle from 'virtual:crm-coach/packs';
import { createMessageHandler } from '../lib/background/handle-message';
import { SignalStore } from '../lib/background/signal-store';
import { ProgressStore } from '../lib/background/progress-store';
import { readContext } from '../lib/background/settings';

export default defineBackground(() => {
  const signals = new SignalStore();
  const progress = new ProgressStore(browser.storage.local);
  const handle = createMessageHandler({
    bundle: () => bundle,
    storeSignals: (records) => signals.add(records),
    storeComment: (comment) => signals.addComment(comment),
    injectOverlay: async (tabId, frameId) => {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/overlay.js'] });
    },
    progress,
    context: () => readContext(browser.storage.local),
    extensionVersion: browser.runtime.getManifest().version,
  });

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our own content scripts and pages talk to us.
    if (sender.id !== browser.runtime.id) return false;
    handle(message, { url: sender.url, tabId: sender.tab?.id, frameId: sender.frameId }).then(
      sendResponse,
      (error: unknown) => {
        console.error('[crm-coach] message failed', error);
        sendResponse({ error: 'internal error' });
      },
    );
    return true; // async reply (a returned Promise is ignored by some implementations)
  });
});
