/**
 * The background's message handler, free of `browser` so unit tests call it directly.
 * Trust is decided here: every message is parsed with zod, the packs a tab gets are chosen from
 * the sender's URL (never from what the message claims), and signal ids must exist in the
 * loaded packs, so nothing else can be smuggled into storage.
 */
import { messageSchema } from '../messages-schema';
import type { ErrorReply } from '../messages';
import { packsForUrl, type CompiledBundle } from '../rules/compiled';
import { dayOf, type SignalRecord } from '../signals/signal-record';

export interface MessageSender {
  url?: string;
  tabId?: number;
  frameId?: number;
}

export interface BackgroundDeps {
  bundle: () => CompiledBundle;
  storeSignals: (records: SignalRecord[]) => Promise<void>;
  injectOverlay: (tabId: number, frameId: number) => Promise<void>;
  extensionVersion: string;
  now?: () => Date;
  log?: (message: string, detail?: unknown) => void;
}

export function createMessageHandler(deps: BackgroundDeps) {
  const log = deps.log ?? ((m, d) => console.warn(`[crm-coach] ${m}`, d ?? ''));
  const now = deps.now ?? (() => new Date());

  return async function handleMessage(raw: unknown, sender: MessageSender): Promise<unknown> {
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) {
      // Log the problem's shape, never the payload (it could carry page data).
      log('rejected a malformed message', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
      return { error: 'malformed message' } satisfies ErrorReply;
    }
    const message = parsed.data;
    const url = sender.url ? URL.parse(sender.url) : null;
    switch (message.type) {
      case 'rules:get':
        return { packs: url ? packsForUrl(deps.bundle(), url) : [] };
      case 'overlay:load':
        if (sender.tabId === undefined) return { error: 'no tab' } satisfies ErrorReply;
        await deps.injectOverlay(sender.tabId, sender.frameId ?? 0);
        return { ok: true };
      case 'signal:record': {
        const { signal } = message;
        const pack = url ? packsForUrl(deps.bundle(), url).find((p) => p.id === signal.pack) : undefined;
        const known =
          pack?.screens.some((s) => s.id === signal.screen) &&
          pack.rules.some((r) => r.id === signal.rule && r.screen === signal.screen);
        if (!pack || !known) {
          log('rejected a signal naming unknown rule ids', { type: signal.type });
          return { error: 'unknown ids' } satisfies ErrorReply;
        }
        await deps.storeSignals([
          {
            type: signal.type,
            day: dayOf(now()),
            crm: pack.crm,
            pack: pack.id,
            packVersion: pack.version,
            screen: signal.screen,
            rule: signal.rule,
            extensionVersion: deps.extensionVersion,
          },
        ]);
        return { ok: true };
      }
    }
  };
}
