/**
 * The editor's preview in the CRM tab: the background sends one compiled rule or walkthrough
 * from the admin's DRAFT, and it is shown once by the engine itself (a Coach of its own), so
 * what the admin sees is what users will see. Nothing of it is recorded: no signals, no
 * progress, no friction watching; it has its own overlay, removed with the preview.
 * No zod and no YAML here: this is part of the content script.
 */
import type { CompiledPack } from '../rules/compiled';
import { Coach, type OverlayPort } from './coach';

export const PREVIEW_MESSAGE = 'crm-coach:preview';

export interface PreviewRequest {
  type: typeof PREVIEW_MESSAGE;
  pack: CompiledPack;
  id: string;
}

export function isPreviewRequest(m: unknown): m is PreviewRequest {
  const r = m as Partial<PreviewRequest> | null;
  return (
    typeof r === 'object' && r !== null && r.type === PREVIEW_MESSAGE && typeof r.id === 'string' &&
    typeof r.pack === 'object' && r.pack !== null && Array.isArray(r.pack.rules) && Array.isArray(r.pack.screens) && Array.isArray(r.pack.walkthroughs)
  );
}

/** A pack that shows only this rule, now, on whatever screen the tab is on. */
export function previewPackFor(pack: CompiledPack, id: string): CompiledPack | undefined {
  const base = { ...pack, stages: [], liveStage: undefined, errorTargets: undefined };
  const rule = pack.rules.find((r) => r.id === id);
  if (rule) {
    const screen = pack.screens.find((s) => s.id === rule.screen);
    if (!screen || rule.target.length === 0) return undefined;
    return {
      ...base,
      // Any URL of this tab: the admin previews where they are.
      screens: [{ ...screen, url: [{ specificity: 0 }], probes: [] }],
      rules: [{ ...rule, frequency: 'always', when: undefined, ifMissing: { wait: 5_000, then: 'center' } }],
      walkthroughs: [],
    };
  }
  const walkthrough = pack.walkthroughs.find((w) => w.id === id);
  if (walkthrough) return { ...base, rules: [], walkthroughs: [{ ...walkthrough, when: undefined }] };
  return undefined;
}

export interface PreviewDeps {
  window: Window;
  /** The content script's own signal: a preview ends with it. */
  signal: AbortSignal;
  locale?: string;
  /** An overlay of the preview's own, removed when `signal` aborts. */
  loadOverlay: (signal: AbortSignal) => Promise<OverlayPort>;
}

/** One preview at a time; a new one replaces the last. */
export function createPreview(deps: PreviewDeps) {
  let current: AbortController | null = null;
  const stop = () => {
    current?.abort();
    current = null;
  };
  deps.signal.addEventListener('abort', stop, { once: true });

  function show(request: PreviewRequest): { ok: true } | { error: string } {
    const pack = previewPackFor(request.pack, request.id);
    if (!pack) return { error: `nothing to preview for "${request.id}" (a tip without a target lives in the help panel only)` };
    stop();
    const controller = (current = new AbortController());
    const signal = AbortSignal.any([controller.signal, deps.signal]);
    const coach = new Coach({
      window: deps.window,
      packs: [pack],
      context: { liveStages: {}, ...(deps.locale && { locale: deps.locale }) },
      signal,
      frictionPaused: true,
      loadOverlay: async () => {
        const overlay = await deps.loadOverlay(signal);
        // The real coach owns the launcher and help panel; the preview shows only its rule.
        return { ...overlay, setPanel: () => {} };
      },
      emit: () => {}, // a preview is not a real signal
      feedback: () => {},
      record: (event) => {
        // Dismissing (or finishing) the previewed thing ends the preview.
        if (event.type === 'dismissed' || (event.type === 'walkthrough' && event.status !== 'active' && event.status !== 'snoozed')) stop();
      },
    });
    coach.start();
    if (pack.walkthroughs.length > 0) coach.startWalkthrough(request.id);
    return { ok: true };
  }

  return {
    /** A runtime message; `fromBackground` is decided by the caller (sender without a tab). */
    onMessage(message: unknown, fromBackground: boolean): { ok: true } | { error: string } | undefined {
      if (!isPreviewRequest(message)) return undefined;
      if (!fromBackground) return { error: 'not allowed from this sender' };
      return show(message);
    },
    stop,
  };
}
