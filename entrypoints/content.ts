import { browser } from 'wxt/browser';
import { Coach, type OverlayPort } from '../lib/content/coach';
import { getOverlayFactory } from '../lib/content/overlay-handshake';
import type { Message, Reply, SignalInput } from '../lib/messages';
import type { ProgressEvent } from '../lib/progress/progress';

export default defineContentScript({
  // Filled at build time from the packs' hosts (wxt.config.ts); never <all_urls>.
  matches: [],
  runAt: 'document_idle',
  async main(ctx) {
    const send = <M extends Message>(message: M) => browser.runtime.sendMessage(message) as Promise<Reply<M>>;
    const { packs, progress, context } = await send({ type: 'rules:get' });
    if (!packs?.length || ctx.isInvalid) return;
    const quietly = () => {
      // The extension was reloaded or the worker is restarting: a lost count, never a page error.
    };

    const coach = new Coach({
      window,
      packs,
      progress,
      context,
      signal: ctx.signal,
      debug: import.meta.env.DEV,
      async loadOverlay(): Promise<OverlayPort> {
        if (!getOverlayFactory()) await send({ type: 'overlay:load' });
        const factory = getOverlayFactory();
        if (!factory) throw new Error('overlay did not load');
        return factory(document, ctx.signal, { locale: context?.locale ?? navigator.language });
      },
      emit(signal: SignalInput) {
        send({ type: 'signal:record', signal }).catch(quietly);
      },
      record(event: ProgressEvent) {
        send({ type: 'progress:event', event }).catch(quietly);
      },
      feedback(signal: SignalInput, comment?: string) {
        send({ type: 'feedback:record', signal, ...(comment && { comment }) }).catch(quietly);
      },
    });
    coach.start();
  },
});
