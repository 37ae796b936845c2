/**
 * The background's message handler, free of `browser` so unit tests call it directly.
 * Trust is decided here: every message is parsed with zod, the packs a tab gets are chosen from
 * the sender's URL (never from what the message claims), and signal ids must exist in the
 * loaded packs, so nothing else can be smuggled into storage.
 */
import { messageSchema } from '../messages-schema';
import { FEEDBACK_KINDS, type CoachContext, type ErrorReply, type FeedbackKind, type SignalInput } from '../messages';
import { FRICTION_SIGNAL_TYPES } from '../signals/detectors/index';
import { packsForUrl, type CompiledBundle, type CompiledPack } from '../rules/compiled';
import type { Progress, ProgressEvent } from '../progress/progress';
import { dayOf } from '../signals/signal-record';
import type { StoredComment, StoredSignal } from '../store/database';
import { isPaused, type Settings } from './settings';
import { scrubComment } from '../privacy/scrub';
import { progressSignals } from '../insights/progress-signals';

export interface MessageSender {
  url?: string;
  tabId?: number;
  frameId?: number;
}

export interface BackgroundDeps {
  /** The packs in force (lib/packs/pack-manager.ts memoizes them: one resolved promise per message). */
  bundle: () => CompiledBundle | Promise<CompiledBundle>;
  storeSignals: (records: StoredSignal[]) => Promise<void>;
  storeComment: (comment: StoredComment) => Promise<void>;
  injectOverlay: (tabId: number, frameId: number) => Promise<void>;
  progress: { read(): Promise<Progress>; apply(events: ProgressEvent[]): Promise<Progress> };
  context: () => Promise<CoachContext>;
  settings: () => Promise<Settings>;
  extensionVersion: string;
  now?: () => Date;
  log?: (message: string, detail?: unknown) => void;
}

export function createMessageHandler(deps: BackgroundDeps) {
  const log = deps.log ?? ((m, d) => console.warn(`[crm-coach] ${m}`, d ?? ''));
  const now = deps.now ?? (() => new Date());

  /** tip-used and stage-complete (lib/insights/progress-signals.ts), unless guidance is paused. */
  async function storeProgressSignals(event: ProgressEvent, packs: CompiledPack[], progress: Progress): Promise<void> {
    const day = dayOf(now());
    const derived = progressSignals(event, packs, progress, day);
    if (derived.length === 0 || isPaused(await deps.settings(), 'tip-used')) return;
    await deps.storeSignals(
      derived.map((s) => ({
        type: s.type,
        day,
        crm: s.pack.crm,
        pack: s.pack.id,
        packVersion: s.pack.version,
        screen: s.screen,
        rule: s.rule,
        extensionVersion: deps.extensionVersion,
        ...(s.uid !== undefined && { uid: s.uid }),
      })),
    );
  }

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
      case 'rules:get': {
        const packs = url ? packsForUrl(await deps.bundle(), url) : [];
        if (packs.length === 0) return { packs, progress: null, context: null };
        const [progress, context] = await Promise.all([deps.progress.read(), deps.context()]);
        return { packs, progress: progressFor(progress, packs), context };
      }
      case 'progress:event': {
        const packs = url ? packsForUrl(await deps.bundle(), url) : [];
        if (!eventIdsKnown(message.event, packs)) {
          log('rejected a progress event naming unknown ids', { type: message.event.type });
          return { error: 'unknown ids' } satisfies ErrorReply;
        }
        const after = await deps.progress.apply([message.event]);
        await storeProgressSignals(message.event, packs, after);
        return { ok: true };
      }
      case 'overlay:load':
        if (sender.tabId === undefined) return { error: 'no tab' } satisfies ErrorReply;
        await deps.injectOverlay(sender.tabId, sender.frameId ?? 0);
        return { ok: true };
      case 'signal:record':
      case 'feedback:record': {
        const { signal } = message;
        const pack = url ? packsForUrl(await deps.bundle(), url).find((p) => p.id === signal.pack) : undefined;
        if (!pack || !signalIdsKnown(signal, pack)) {
          log('rejected a signal naming unknown ids', { type: signal.type });
          return { error: 'unknown ids' } satisfies ErrorReply;
        }
        // Paused means nothing is stored: not the signal, not a comment.
        if (isPaused(await deps.settings(), signal.type)) return { ok: true, paused: true };
        await deps.storeSignals([
          {
            type: signal.type,
            day: dayOf(now()),
            crm: pack.crm,
            pack: pack.id,
            packVersion: pack.version,
            screen: signal.screen,
            ...(signal.rule !== undefined && { rule: signal.rule }),
            ...(signal.detail !== undefined && { detail: signal.detail }),
            ...(signal.count !== undefined && { count: signal.count }),
            ...(signal.peer !== undefined && { peer: signal.peer }),
            extensionVersion: deps.extensionVersion,
            ...(message.type === 'signal:record' && message.uid !== undefined && { uid: message.uid }),
          },
        ]);
        const comment = message.type === 'feedback:record' && message.comment ? scrubComment(message.comment) : '';
        if (comment && signal.rule && signal.detail) {
          await deps.storeComment({ day: dayOf(now()), pack: pack.id, rule: signal.rule, kind: signal.detail, text: comment, shared: false });
        }
        return { ok: true };
      }
    }
  };
}

/** A signal names its pack's screen, and a rule or step of that pack where its type needs one. */
function signalIdsKnown(signal: SignalInput, pack: CompiledPack): boolean {
  const screen = (id: string) => pack.screens.some((s) => s.id === id);
  if (!screen(signal.screen)) return false;
  // Derived here from the user's progress (storeProgressSignals), never claimed by a page.
  if (signal.type === 'tip-used' || signal.type === 'stage-complete') return false;
  const isStep = signal.type.startsWith('walkthrough-');
  // Each field only where its type uses it: nothing else can ride along.
  const isFeedbackKind = signal.detail !== undefined && FEEDBACK_KINDS.includes(signal.detail as FeedbackKind);
  if (signal.type === 'feedback' ? !isFeedbackKind : signal.type === 'form-dwell' ? signal.detail === undefined || isFeedbackKind : signal.detail !== undefined) {
    return false;
  }
  if (signal.count !== undefined && signal.type !== 'rage-click') return false;
  if (signal.peer !== undefined && (signal.type !== 'back-and-forth' || !screen(signal.peer))) return false;
  if ((FRICTION_SIGNAL_TYPES as readonly string[]).includes(signal.type)) {
    // A click on an element no rule names is recorded against the screen only.
    return (
      signal.rule === undefined ||
      pack.rules.some((r) => r.id === signal.rule) ||
      pack.walkthroughs.some((w) => w.steps.some((s) => s.id === signal.rule))
    );
  }
  if (signal.rule === undefined) return signal.type === 'help-opened';
  if (isStep) return pack.walkthroughs.some((w) => w.steps.some((s) => s.id === signal.rule));
  if (signal.type === 'feedback') {
    if (signal.detail === undefined) return false;
    return pack.rules.some((r) => r.id === signal.rule) || pack.walkthroughs.some((w) => w.steps.some((s) => s.id === signal.rule));
  }
  return pack.rules.some((r) => r.id === signal.rule && r.screen === signal.screen);
}

/** Only ids of the sender's packs may be written: nothing else can be smuggled into storage. */
function eventIdsKnown(event: ProgressEvent, packs: CompiledPack[]): boolean {
  const screens = (id: string) => packs.some((p) => p.screens.some((s) => s.id === id));
  switch (event.type) {
    case 'visit':
      return screens(event.screen) && (event.from === undefined || screens(event.from));
    case 'shown':
    case 'dismissed':
      return packs.some((p) => p.rules.some((r) => r.id === event.rule));
    case 'action':
      return packs.some((p) => p.rules.some((r) => r.id === event.rule && r.kind === 'tip' && r.savesSeconds === event.seconds));
    case 'walkthrough':
      return packs.some((p) => p.walkthroughs.some((w) => w.id === event.walkthrough && w.steps.some((s) => s.id === event.step)));
  }
}

/** A tab gets the progress of its own packs only. */
function progressFor(progress: Progress, packs: CompiledPack[]): Progress {
  const mine = (id: string) => packs.some((p) => id.startsWith(`${p.id}/`));
  const pick = <T>(record: Record<string, T>, test: (k: string) => boolean) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => test(k)));
  return {
    rules: pick(progress.rules, mine),
    visits: pick(progress.visits, mine),
    visitsFrom: pick(progress.visitsFrom, (k) => k.split(' > ').every(mine)),
    walkthroughs: pick(progress.walkthroughs, mine),
    ...(progress.active && mine(progress.active.walkthrough) && { active: progress.active }),
    // The user's own total, shown in the help panel: it stays in their browser.
    ledger: progress.ledger,
  };
}
