/**
 * Which rule names the element the user clicked? Friction signals may carry a rule's id, never a
 * CSS path or anything read from the page: the closest element (in the composed tree) that one of
 * this screen's rule targets resolves to decides. Run only when a detector reports, not per event.
 */
import type { TargetStrategy } from '../rules/compiled';
import type { SearchRoot } from '../dom/root-registry';
import { resolveTargetAll, TargetScope } from '../targets/resolve-target';

export interface NamedTarget {
  id: string;
  target: TargetStrategy[];
}

export const ruleTargetIdOf =
  (named: () => Iterable<NamedTarget>, roots: () => Iterable<SearchRoot>) =>
  (element: Element): string | undefined => {
    const depth = new Map<Node, number>();
    let d = 0;
    for (let n: Node | null = element; n && d < 64; d++) {
      depth.set(n, d);
      n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null);
    }
    const scope = new TargetScope(roots());
    let best: { id: string; depth: number } | undefined;
    for (const { id, target } of named()) {
      if (target.length === 0) continue;
      for (const el of resolveTargetAll(target, scope)) {
        const at = depth.get(el);
        if (at !== undefined && (!best || at < best.depth)) best = { id, depth: at };
      }
    }
    return best?.id;
  };
