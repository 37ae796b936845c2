/**
 * Notices when the user takes a tip's faster path (credits the time-saved ledger and counts
 * toward mastery). Three capture listeners for the whole screen, not one per element: a click,
 * submit or change is checked against the screen's tip actions only when it happens, by
 * resolving the action's target then (targets re-render; a resolved element would go stale).
 * Nothing about the event is kept: only "tip X's action happened".
 */
import type { CompiledPack, CompiledTip } from '../rules/compiled';
import type { SearchRoot } from '../dom/root-registry';
import { reDispatchedFor, resolveTargetAll } from '../targets/resolve-target';

export interface TipActionOptions {
  window: Window;
  pack: CompiledPack;
  screen: string;
  roots: () => Iterable<SearchRoot>;
  signal: AbortSignal;
  onAction: (tip: CompiledTip) => void;
}

export function watchTipActions({ window, pack, screen, roots, signal, onAction }: TipActionOptions): void {
  const tips = pack.rules.filter((r): r is CompiledTip => r.kind === 'tip');
  // Reaching a screen is itself the faster path for some tips (a saved view, a shortcut).
  for (const tip of tips) if (tip.action.kind === 'screen' && tip.action.screen === screen) onAction(tip);

  const onScreen = tips.filter((t) => t.screen === screen && t.action.kind !== 'screen');
  for (const kind of ['click', 'submit', 'change'] as const) {
    const relevant = onScreen.filter((t) => t.action.kind === kind);
    if (relevant.length === 0) continue;
    window.addEventListener(
      kind,
      (event) => {
        const path = event.composedPath();
        for (const tip of relevant) {
          if (tip.action.kind === 'screen') continue;
          // A component that re-dispatches change/submit from its shadow host (they do not leave a
          // shadow root by themselves) counts as its inner field.
          const fromHost = (el: Element) => reDispatchedFor(event, el);
          const hit = resolveTargetAll(tip.action.target, roots()).some((el) =>
            kind === 'submit'
              ? event.target === el || (el as HTMLButtonElement).form === event.target || fromHost(el)
              : path.includes(el) || (kind === 'change' && fromHost(el)),
          );
          if (hit) onAction(tip);
        }
      },
      { capture: true, signal },
    );
  }
}
