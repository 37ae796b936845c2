/**
 * Finds the element a rule points at. A target is an ordered list of strategies; the first
 * strategy that finds a visible element wins. Every strategy searches all registered roots
 * (document, open shadow roots, same-origin iframes), so a Lightning field inside three levels
 * of shadow DOM is found like any other.
 *
 * Never throws into the page: an invalid CSS selector in a rule is a miss, reported by the caller.
 */
import type { TargetStrategy } from '../rules/compiled';
import type { SearchRoot } from '../dom/root-registry';
import { accessibleName, hasRole, normalizeLabel, normalizeText, roleSelector } from './accessible-name';

type Roots = Iterable<SearchRoot>;

function queryAll(roots: Roots, selector: string): Element[] {
  const out: Element[] = [];
  for (const root of roots) {
    try {
      out.push(...root.querySelectorAll(selector));
    } catch {
      return []; // invalid selector: nothing matches
    }
  }
  return out;
}

/** `contains` across shadow boundaries. */
export function composedContains(container: Element, el: Element): boolean {
  for (let node: Node | null = el; node; ) {
    if (node === container) return true;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return false;
}

export function isVisible(el: Element): boolean {
  if (!el.isConnected) return false;
  if (typeof (el as HTMLElement).checkVisibility === 'function') {
    return (el as HTMLElement).checkVisibility({ opacityProperty: false, visibilityProperty: true });
  }
  return el.getClientRects().length > 0;
}

function candidates(s: TargetStrategy, roots: Roots): Element[] {
  if (s.css !== undefined) return queryAll(roots, s.css);
  if (s.role !== undefined) {
    const role = s.role;
    const found = queryAll(roots, roleSelector(role)).filter((el) => hasRole(el, role));
    if (s.name === undefined) return found;
    const want = normalizeText(s.name);
    return found.filter((el) => accessibleName(el) === want);
  }
  if (s.label !== undefined) {
    const want = normalizeLabel(s.label);
    const out: Element[] = [];
    for (const label of queryAll(roots, 'label')) {
      const control = (label as HTMLLabelElement).control;
      if (control && normalizeLabel(label.textContent) === want) out.push(control);
    }
    for (const el of queryAll(roots, '[aria-label], [aria-labelledby]')) {
      if (!out.includes(el) && el.matches('input, select, textarea, [role=textbox], [role=combobox], [role=listbox], [contenteditable=true]') && normalizeLabel(accessibleName(el)) === want) {
        out.push(el);
      }
    }
    return out;
  }
  if (s.text !== undefined) {
    const want = normalizeText(s.text);
    const out: Element[] = [];
    for (const root of roots) {
      const doc = (root as Document).createTreeWalker ? (root as Document) : root.ownerDocument!;
      const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!normalizeText(node.nodeValue).includes(want.split(' ')[0]!)) continue;
        // Climb to the largest element whose whole text is exactly the wanted text
        // (<button><span>Save</span></button> -> the button).
        let best: Element | null = null;
        for (let el = node.parentElement; el && normalizeText(el.textContent) === want; el = el.parentElement) best = el;
        if (best && !out.includes(best)) out.push(best);
      }
    }
    return out;
  }
  return [];
}

/**
 * Every visible element a strategy matches, in document order, inside its `within` container.
 * The container is the first *visible* match: SPAs such as Lightning keep earlier pages in the
 * DOM, hidden, and a hidden container would hide the real target.
 */
export function matchAll(s: TargetStrategy, roots: Roots): Element[] {
  let found = candidates(s, roots).filter(isVisible);
  if (s.within !== undefined) {
    const container = queryAll(roots, s.within).find(isVisible);
    found = container ? found.filter((el) => composedContains(container, el)) : [];
  }
  return found;
}

/** Resolve one strategy: the nth (default first) of its visible, scoped matches. */
export function resolveStrategy(s: TargetStrategy, roots: Roots): Element | null {
  return matchAll(s, roots)[s.nth ?? 0] ?? null;
}

/** How many visible elements a strategy matches in its scope (selector evidence, the picker). */
export function countMatches(s: TargetStrategy, roots: Roots): number {
  return matchAll(s, roots).length;
}

/**
 * The elements a target stands for when the user acts: all matches of the first strategy that
 * matches anything (or just the nth, when the strategy picks one). "Click any board card" is a
 * card click whichever card it is.
 */
export function resolveTargetAll(target: readonly TargetStrategy[], roots: Roots): Element[] {
  for (const s of target) {
    const all = matchAll(s, roots);
    if (all.length === 0) continue;
    return s.nth === undefined ? all : all.slice(s.nth, s.nth + 1);
  }
  return [];
}

export function resolveTarget(target: readonly TargetStrategy[], roots: Roots): Element | null {
  for (const s of target) {
    const el = resolveStrategy(s, roots);
    if (el) return el;
  }
  return null;
}
