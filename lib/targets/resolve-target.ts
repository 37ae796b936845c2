/**
 * Finds the element a rule points at. A target is an ordered list of strategies; the first
 * strategy that finds a visible element wins. Every strategy searches all registered roots
 * (document, open shadow roots, same-origin iframes), so a Lightning field inside three levels
 * of shadow DOM is found like any other.
 *
 * Two ways to search, both through a `TargetScope` made once per pass:
 * - `resolveTarget(target, scope)`: the whole page (screen entry, evidence, the picker);
 * - `resolveTargetIn(target, scope, changed)`: only subtrees that changed since the last pass,
 *   for targets still pending. A pending target had no match anywhere, so a match can only
 *   appear in what changed; this keeps a pass proportional to the mutation, not the page.
 * The scope caches what is costly to recompute per rule: label texts by control (reading a
 * control's `.labels` walks the whole document after every change).
 *
 * Never throws into the page: an invalid CSS selector in a rule is a miss, reported by the caller.
 */
import type { TargetStrategy } from '../rules/compiled';
import type { SearchRoot } from '../dom/root-registry';
import { accessibleName, hasRole, normalizeLabel, normalizeText, roleSelector } from './accessible-name';

type Roots = Iterable<SearchRoot>;
/** Where to look: whole trees, or changed subtrees (whose root element counts too). */
type Where = Iterable<SearchRoot | Element>;

export class TargetScope {
  private labelTexts: Map<Element, string> | null = null;

  constructor(readonly roots: Roots) {}

  /** Every labelled control of the page with its label text, built once per pass. */
  get labels(): Map<Element, string> {
    if (!this.labelTexts) {
      this.labelTexts = new Map();
      for (const label of queryAll(this.roots, 'label')) {
        const control = (label as HTMLLabelElement).control;
        if (!control) continue;
        const previous = this.labelTexts.get(control);
        this.labelTexts.set(control, previous ? `${previous} ${label.textContent ?? ''}` : (label.textContent ?? ''));
      }
    }
    return this.labelTexts;
  }

  name(el: Element): string {
    return accessibleName(el, this.labels);
  }
}

const asScope = (scope: TargetScope | Roots) => (scope instanceof TargetScope ? scope : new TargetScope(scope));

function queryAll(where: Where, selector: string): Element[] {
  const out: Element[] = [];
  for (const root of where) {
    try {
      if (root instanceof Element && root.matches(selector)) out.push(root);
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

/**
 * Is this event a shadow-DOM component re-dispatching, from its host, an event of `el` inside it?
 * (change, input and submit do not leave a shadow root; components such as Lightning's fire their
 * own from the host.)
 */
export function reDispatchedFor(event: Event, el: Element): boolean {
  const host = event.target;
  return host instanceof Element && host !== el && host.shadowRoot !== null && composedContains(host, el);
}

export function isVisible(el: Element): boolean {
  if (!el.isConnected) return false;
  if (typeof (el as HTMLElement).checkVisibility === 'function') {
    return (el as HTMLElement).checkVisibility({ opacityProperty: false, visibilityProperty: true });
  }
  return el.getClientRects().length > 0;
}

const FIELD = 'input, select, textarea, [role=textbox], [role=combobox], [role=listbox], [contenteditable=true]';

function candidates(s: TargetStrategy, where: Where, scope: TargetScope): Element[] {
  if (s.css !== undefined) return queryAll(where, s.css);
  if (s.role !== undefined) {
    const role = s.role;
    const found = queryAll(where, roleSelector(role)).filter((el) => hasRole(el, role));
    if (s.name === undefined) return found;
    const want = normalizeText(s.name);
    return found.filter((el) => scope.name(el) === want);
  }
  if (s.label !== undefined) {
    const want = normalizeLabel(s.label);
    const out = new Set<Element>();
    const within = where === scope.roots ? null : [...where];
    const inWhere = (el: Element) => within === null || within.some((w) => w instanceof Element && composedContains(w, el));
    for (const [control, text] of scope.labels) {
      if (normalizeLabel(text) === want && inWhere(control)) out.add(control);
    }
    for (const el of queryAll(where, '[aria-label], [aria-labelledby]')) {
      if (el.matches(FIELD) && normalizeLabel(scope.name(el)) === want) out.add(el);
    }
    return [...out];
  }
  if (s.text !== undefined) {
    const want = normalizeText(s.text);
    const firstWord = want.split(' ')[0]!;
    const out: Element[] = [];
    for (const root of where) {
      const doc = root instanceof Document ? root : root.ownerDocument!;
      const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Cheap pre-check before normalizing: the first word must be in there somewhere.
        if (!node.nodeValue || !node.nodeValue.toLowerCase().includes(firstWord)) continue;
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
export function matchAll(s: TargetStrategy, scope: TargetScope | Roots): Element[] {
  const sc = asScope(scope);
  let found = candidates(s, sc.roots, sc).filter(isVisible);
  if (s.within !== undefined) {
    const container = queryAll(sc.roots, s.within).find(isVisible);
    found = container ? found.filter((el) => composedContains(container, el)) : [];
  }
  return found;
}

/** Resolve one strategy: the nth (default first) of its visible, scoped matches. */
export function resolveStrategy(s: TargetStrategy, scope: TargetScope | Roots): Element | null {
  return matchAll(s, scope)[s.nth ?? 0] ?? null;
}

/** How many visible elements a strategy matches in its scope (selector evidence, the picker). */
export function countMatches(s: TargetStrategy, scope: TargetScope | Roots): number {
  return matchAll(s, scope).length;
}

/**
 * The elements a target stands for when the user acts: all matches of the first strategy that
 * matches anything (or just the nth, when the strategy picks one). "Click any board card" is a
 * card click whichever card it is.
 */
export function resolveTargetAll(target: readonly TargetStrategy[], scope: TargetScope | Roots): Element[] {
  const sc = asScope(scope);
  for (const s of target) {
    const all = matchAll(s, sc);
    if (all.length === 0) continue;
    return s.nth === undefined ? all : all.slice(s.nth, s.nth + 1);
  }
  return [];
}

export function resolveTarget(target: readonly TargetStrategy[], scope: TargetScope | Roots): Element | null {
  const sc = asScope(scope);
  for (const s of target) {
    const el = resolveStrategy(s, sc);
    if (el) return el;
  }
  return null;
}

/**
 * Resolve a target that had no match before, looking only in `changed` subtrees. A strategy
 * with `nth` or `within` depends on the whole page: any candidate in the changed part sends it
 * to a full resolve. Returns null when nothing in the changed part matches.
 */
export function resolveTargetIn(target: readonly TargetStrategy[], scope: TargetScope, changed: readonly Element[]): Element | null {
  if (changed.length === 0) return null;
  for (const s of target) {
    const found = candidates(s, changed, scope).filter(isVisible);
    if (found.length === 0) continue;
    if (s.nth !== undefined || s.within !== undefined) return resolveTarget(target, scope);
    return found[0]!;
  }
  return null;
}
