import { browser } from 'wxt/browser';
import { Coach, type OverlayPort } from '../lib/content/coach';
import { getOverlayFactory } from '../lib/content/overlay-handshake';
import { Outbox } from '../lib/content/outbox';
import { createPreview } from '../lib/content/preview';
import type { Message, Reply, SignalInput } from '../lib/messages';
import type { ProgressEvent } from '../lib/progress/progress';

export default defineContentScript({
  // Filled at build time from the packs' hosts (wxt.config.ts): only the CRM hosts packs declare.
  matches: [],
  runAt: 'document_idle',
  // Never post a message into the CRM's own window (WXT's legacy "script started" postMessage):
  // pages with careless message listeners react to it, and it costs start-up time.
  noScriptStartedPostMessage: true,
  async main(ctx) {
    const send = <M extends Message>(message: M) => browser.runtime.sendMessage(message) as Promise<Reply<M>>;
    const { packs, progress, context } = await send({ type: 'rules:get' });
    if (!packs?.length || ctx.isInvalid) return;
    const quietly = () => {
      // The extension was reloaded or the worker is restarting: a lost update, never a page error.
    };
    const outbox = new Outbox({
      send: (signal, uid) => send({ type: 'signal:record', signal, uid }),
      signal: ctx.signal,
    });

    const coach = new Coach({
      window,
      packs,
      progress,
      context,
      frictionPaused: context?.frictionPaused === true,
      signal: ctx.signal,
      debug: import.meta.env.DEV,
      async loadOverlay(): Promise<OverlayPort> {
        if (!getOverlayFactory()) await send({ type: 'overlay:load' });
        const factory = getOverlayFactory();
        if (!factory) throw new Error('overlay did not load');
        return factory(document, ctx.signal, { locale: context?.locale ?? navigator.language });
      },
      emit(signal: SignalInput) {
        outbox.push(signal);
      },
      record(event: ProgressEvent) {
        send({ type: 'progress:event', event }).catch(quietly);
      },
      feedback(signal: SignalInput, comment?: string) {
        send({ type: 'feedback:record', signal, ...(comment && { comment }) }).catch(quietly);
      },
    });
    coach.start();

    // The editor's preview of a draft rule (lib/content/preview.ts): only the background may ask
    // (a sender without a tab); nothing of it is recorded.
    const preview = createPreview({
      window,
      signal: ctx.signal,
      ...(context?.locale && { locale: context.locale }),
      async loadOverlay(signal) {
        if (!getOverlayFactory()) await send({ type: 'overlay:load' });
        return getOverlayFactory()!(document, signal, { locale: context?.locale ?? navigator.language });
      },
    });
    const onPreview = (message: unknown, sender: { id?: string; tab?: unknown }, sendResponse: (reply: unknown) => void) => {
      const reply = preview.onMessage(message, sender.id === browser.runtime.id && sender.tab === undefined);
      if (reply) sendResponse(reply);
    };
    browser.runtime.onMessage.addListener(onPreview);
    ctx.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onPreview), { once: true });
  },
});
