/**
 * Target candidates for an element the admin picked on the page, most robust first:
 *   1. role + accessible name   survives restyling and re-rendering; what a user would say
 *   2. field label              for form fields: the text next to them
 *   3. stable attribute         data-testid, data-qa, name, aria-*… never generated values
 *   4. minimal CSS path         the shortest selector that is unique, avoiding generated ids
 *                               and utility classes
 * Each candidate is counted with the engine's own resolver (lib/targets/resolve-target.ts), so
 * "1 match" here means the engine finds exactly this element. Runs in the picker script (in the
 * page), so it imports no YAML and no zod.
 */
import type { TargetStrategy } from '../rules/compiled';
import { hasRole, normalizeText } from '../targets/accessible-name';
import { matchAll, TargetScope } from '../targets/resolve-target';

export type CandidateKind = 'role' | 'label' | 'attribute' | 'css';

export interface Candidate {
  kind: CandidateKind;
  target: TargetStrategy;
  /** Visible elements it matches on this page. */
  count: number;
  /** The engine would pick exactly the picked element with it. */
  resolves: boolean;
}

const RANK: Record<CandidateKind, number> = { role: 0, label: 1, attribute: 2, css: 3 };

/** Values frameworks generate per render or per page load: never stable across sessions. */
export function isGeneratedValue(value: string): boolean {
  return (
    /^:[a-z]*r[0-9a-z]*:$/i.test(value) || // React useId (":r1:", ":R2b6:")
    /^ember\d+$/.test(value) || // Ember
    /^gwt-(uid-)?\d+/i.test(value) || // GWT
    /^(mui|headlessui|radix|react-select|downshift|rc-tabs|aria)-[\w-]*\d/i.test(value) ||
    /^j_id/.test(value) || // JSF / Visualforce
    /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/i.test(value) || // GUID
    /[0-9a-f]{10,}/i.test(value) || // long hex
    /\d{3,}/.test(value) || // a counter ("input-123", "id1234")
    /(^|[-_:.])\d+($|[-_:.])/.test(value) // a numeric segment ("field-2-label")
  );
}

const UTILITY =
  /^(-?(m|p)[trblxyse]?|w|h|min-w|min-h|max-w|max-h|text|bg|font|leading|tracking|rounded|border|shadow|ring|gap|space-[xy]|grid-cols|col|row|flex|items|justify|content|self|place|order|inset|top|left|right|bottom|z|opacity|overflow|cursor|select|whitespace|break|decoration|underline-offset|outline|fill|stroke|transition|duration|ease|delay|animate|translate|rotate|scale|skew|origin|d|float|clear|align|slds-[mp][trblvh]?_|slds-(size|grid|col|text|float|m|p|align|has|is)-)[\w-]*$/;

/** Utility / atomic / hashed class names: they describe looks, not meaning, and change. */
export function isUtilityClass(name: string): boolean {
  return (
    name.includes(':') || // hover:bg-x, md:flex
    name.includes('[') || // w-[13px]
    UTILITY.test(name) ||
    /^(flex|grid|block|inline|inline-block|inline-flex|hidden|relative|absolute|fixed|sticky|static|container|truncate|uppercase|lowercase|capitalize|italic|underline|shrink|grow|sr-only|clearfix|pull-left|pull-right)$/.test(name) ||
    /^(css|sc|jsx|emotion|jss|makeStyles|styled)-[\w-]+$/i.test(name) || // CSS-in-JS
    /^[a-zA-Z]+_[a-zA-Z0-9_-]{5,}$/.test(name) || // CSS modules: button_x7f2a
    /^_[\w-]+$/.test(name) ||
    isGeneratedValue(name)
  );
}

const STABLE_ATTRIBUTES = ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy', 'data-field', 'data-name', 'name', 'aria-label', 'id'];

const ROLES = [
  'button', 'link', 'searchbox', 'textbox', 'spinbutton', 'combobox', 'listbox', 'checkbox', 'radio', 'slider',
  'tab', 'menuitem', 'option', 'switch', 'heading', 'navigation', 'region', 'dialog', 'img', 'columnheader', 'row', 'cell',
] as const;

/** The element's role, explicit or implied by its tag ("" when it has none we search by). */
export function roleOf(el: Element): string {
  const explicit = el.getAttribute('role')?.split(/\s+/)[0];
  if (explicit) return explicit;
  return ROLES.find((r) => hasRole(el, r)) ?? '';
}

const INTERACTIVE = 'button, a[href], input, select, textarea, summary, [role], [contenteditable="true"], [tabindex]';

/**
 * What the admin meant: the span inside a button means the button. Climbs (across shadow
 * boundaries) to the nearest interactive ancestor, at most a few levels.
 */
export function meaningfulTarget(el: Element): Element {
  let node: Element | null = el;
  for (let i = 0; node && i < 4; i++) {
    if (node.matches(INTERACTIVE)) return node;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  }
  return el;
}

function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

function cssIdent(value: string): string {
  return /^[a-zA-Z_][\w-]*$/.test(value) ? value : value.replace(/[^\w-]/g, (c) => `\\${c}`);
}

/** One step of a CSS path: tag + a stable attribute or meaningful class, else :nth-of-type. */
function stepFor(el: Element, withNth: boolean): string {
  const tag = el.localName;
  for (const attr of STABLE_ATTRIBUTES) {
    const v = el.getAttribute(attr);
    if (v && v.length <= 80 && !isGeneratedValue(v) && attr !== 'aria-label') {
      return attr === 'id' ? `#${cssIdent(v)}` : `${tag}[${attr}="${cssEscape(v)}"]`;
    }
  }
  const classes = [...el.classList].filter((c) => !isUtilityClass(c)).slice(0, 2);
  let step = tag + classes.map((c) => `.${cssIdent(c)}`).join('');
  if (withNth && el.parentElement) {
    const same = [...el.parentElement.children].filter((c) => c.localName === tag);
    if (same.length > 1) step += `:nth-of-type(${same.indexOf(el) + 1})`;
  }
  return step;
}

/** The shortest CSS path (within the element's own tree: document or shadow root) that is unique. */
export function minimalCssPath(el: Element, count: (css: string) => number): string {
  const steps: string[] = [];
  let node: Element | null = el;
  const root = el.getRootNode();
  for (let depth = 0; node && depth < 6; depth++) {
    for (const withNth of [false, true]) {
      const candidate = [stepFor(node, withNth), ...steps].join(' > ');
      if (count(candidate) === 1) return candidate;
      if (withNth) steps.unshift(stepFor(node, true));
    }
    node = node.parentElement;
    if (!node || node.getRootNode() !== root || node.localName === 'body' || node.localName === 'html') break;
  }
  return steps.join(' > ');
}

export interface CandidateOptions {
  /** Roots to count in (document, open shadow roots, same-origin frames). */
  scope: TargetScope;
  /** Counting and resolution, replaceable in tests without layout. */
  matches?: (s: TargetStrategy) => Element[];
}

function readableName(el: Element, normalized: string): string {
  for (const source of [el.getAttribute('aria-label'), el.textContent, el.getAttribute('title'), el.getAttribute('placeholder')]) {
    const text = (source ?? '').replace(/\s+/g, ' ').trim();
    if (text && normalizeText(text) === normalized) return text;
  }
  return normalized;
}

/** Every candidate for the picked element, most robust first (those that resolve to it before those that do not). */
export function targetCandidates(picked: Element, options: CandidateOptions): Candidate[] {
  const el = meaningfulTarget(picked);
  const { scope } = options;
  const matches = options.matches ?? ((s: TargetStrategy) => matchAll(s, scope));
  const proposals: Array<{ kind: CandidateKind; target: TargetStrategy }> = [];

  const role = roleOf(el);
  const name = scope.name(el);
  if (role && name && name.length <= 80) proposals.push({ kind: 'role', target: { role, name: readableName(el, name) } });
  const label = scope.labels.get(el) ?? (el.matches('input, select, textarea, [role=textbox], [role=combobox]') ? el.getAttribute('aria-label') : null);
  if (label && label.trim() && label.trim().length <= 80) proposals.push({ kind: 'label', target: { label: label.replace(/\s+/g, ' ').trim().replace(/\s*[*:]$/, '') } });
  for (const attr of STABLE_ATTRIBUTES) {
    const v = el.getAttribute(attr);
    if (!v || v.length > 80 || isGeneratedValue(v)) continue;
    proposals.push({ kind: 'attribute', target: { css: attr === 'id' ? `#${cssIdent(v)}` : `${el.localName}[${attr}="${cssEscape(v)}"]` } });
  }
  const css = minimalCssPath(el, (selector) => matches({ css: selector }).length);
  if (css && !proposals.some((p) => p.target.css === css)) proposals.push({ kind: 'css', target: { css } });

  const out: Candidate[] = proposals.map(({ kind, target }) => {
    const found = matches(target);
    let index = found.indexOf(el);
    let t = target;
    // Several matches, this one not first: say which (nth counts visible matches, as the engine does).
    if (index > 0 && index <= 100) t = { ...target, nth: index };
    return { kind, target: t, count: found.length, resolves: index >= 0 };
  });
  return out.sort((a, b) => Number(b.resolves) - Number(a.resolves) || RANK[a.kind] - RANK[b.kind] || Number(a.count !== 1) - Number(b.count !== 1));
}

/** How a candidate reads in the picker and the editor. */
export function describeTarget(t: TargetStrategy): string {
  const parts = Object.entries(t).map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`);
  return parts.join(', ');
}
