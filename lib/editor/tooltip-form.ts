/**
 * The form view for the common case, a tooltip: screen, target, title and text in en/nb,
 * placement. The form reads from and writes to the YAML text through the `yaml` package's
 * Document API, which edits the parsed document in place: comments, key order and every field
 * the form does not show survive a round trip.
 */
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { TargetStrategy } from '../rules/compiled';

export const FORM_LOCALES = ['en', 'nb'] as const;
export type FormLocale = (typeof FORM_LOCALES)[number];
export const PLACEMENTS = ['auto', 'top', 'bottom', 'left', 'right'] as const;
export const STRATEGIES = ['role', 'label', 'text', 'css'] as const;
export type StrategyKind = (typeof STRATEGIES)[number];

export interface TooltipForm {
  /** The rule's key in the file (kebab-case). */
  key: string;
  strategy: StrategyKind;
  /** The role, label, text or CSS selector. */
  value: string;
  /** With role: the accessible name. */
  name: string;
  title: Record<FormLocale, string>;
  text: Record<FormLocale, string>;
  placement: (typeof PLACEMENTS)[number];
}

export const emptyForm = (key = ''): TooltipForm => ({
  key,
  strategy: 'role',
  value: '',
  name: '',
  title: { en: '', nb: '' },
  text: { en: '', nb: '' },
  placement: 'auto',
});

export const TOOLTIPS_HEADER = '# yaml-language-server: $schema=../schema.json\n';

/** The tooltips file of a screen: "contact-list" -> "contact-list.tooltips.yaml". */
export const tooltipsFileOf = (screen: string) => `${screen}.tooltips.yaml`;

/** Screens of a pack, from its file names ("x.screen.yaml" -> "x"). */
export function screensOf(paths: readonly string[]): string[] {
  return paths
    .map((p) => p.split('/').pop()!)
    .filter((p) => p.endsWith('.screen.yaml'))
    .map((p) => p.slice(0, -'.screen.yaml'.length))
    .sort();
}

function parse(text: string): Document.Parsed {
  return parseDocument(text, { keepSourceTokens: false });
}

/** The tooltip keys of a tooltips file (empty when it does not parse as a map). */
export function tooltipKeys(text: string): string[] {
  const doc = parse(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  return doc.contents.items.map((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key));
}

function textOf(value: unknown): Record<FormLocale, string> {
  if (typeof value === 'string') return { en: value, nb: '' };
  const v = (value ?? {}) as Record<string, unknown>;
  return { en: typeof v.en === 'string' ? v.en : '', nb: typeof v.nb === 'string' ? v.nb : '' };
}

/** The form's view of one tooltip (undefined when the file has no such key or does not parse). */
export function readTooltip(text: string, key: string): TooltipForm | undefined {
  const doc = parse(text);
  if (doc.errors.length > 0) return undefined;
  const rule = (doc.toJS() as Record<string, Record<string, unknown>> | null)?.[key];
  if (!rule || typeof rule !== 'object') return undefined;
  const targets = Array.isArray(rule.target) ? rule.target : rule.target ? [rule.target] : [];
  const first = (targets[0] ?? {}) as TargetStrategy;
  const strategy = STRATEGIES.find((s) => first[s] !== undefined) ?? 'role';
  return {
    key,
    strategy,
    value: String(first[strategy] ?? ''),
    name: first.name ?? '',
    title: textOf(rule.title),
    text: textOf(rule.text),
    placement: PLACEMENTS.includes(rule.placement as TooltipForm['placement']) ? (rule.placement as TooltipForm['placement']) : 'auto',
  };
}

/** The form's target as a rule strategy. */
export function strategyOf(form: Pick<TooltipForm, 'strategy' | 'value' | 'name'>): TargetStrategy {
  const s: TargetStrategy = { [form.strategy]: form.value };
  if (form.strategy === 'role' && form.name.trim()) s.name = form.name.trim();
  return s;
}

/** A target strategy from the picker, as form fields. */
export function formTargetOf(s: TargetStrategy): Pick<TooltipForm, 'strategy' | 'value' | 'name'> {
  const strategy = STRATEGIES.find((k) => s[k] !== undefined) ?? 'css';
  return { strategy, value: String(s[strategy] ?? ''), name: s.name ?? '' };
}

/**
 * Write the form into the file's text. Only the fields the form owns change; a list of target
 * strategies keeps its fallbacks (the form edits the first). Returns the new text, or an error
 * when the file does not parse (the YAML view shows where).
 */
export function writeTooltip(text: string, form: TooltipForm, renameFrom?: string): { text: string } | { error: string } {
  const empty = text.trim() === '';
  const doc = parseDocument(empty ? '{}' : text) as Document;
  if (doc.errors.length > 0) return { error: `the file has YAML errors; fix them in the YAML view first (${doc.errors[0]!.message.split('\n')[0]})` };
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  const root = doc.contents as unknown;
  if (!isMap(root)) return { error: 'a tooltips file is a map of tooltips by key' };
  if (empty) root.flow = false;
  const key = form.key;
  // A new tooltip whose key is being typed: rename it where it stands instead of adding another.
  if (renameFrom !== undefined && renameFrom !== key && root.has(renameFrom) && !root.has(key)) {
    const pair = root.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === renameFrom)!;
    pair.key = doc.createNode(key) as typeof pair.key;
  }
  if (!root.has(key)) root.set(key, doc.createNode({}));
  const rule = root.get(key, true) as unknown;
  if (!isMap(rule)) return { error: `"${key}" is not a map` };
  rule.flow = false;

  const strategy = doc.createNode(strategyOf(form));
  const target = rule.get('target', true) as unknown;
  if (isSeq(target) && target.items.length > 0) target.items[0] = strategy;
  else rule.set('target', strategy);

  for (const field of ['title', 'text'] as const) {
    const given = FORM_LOCALES.filter((l) => form[field][l].trim() !== '');
    if (given.length === 0) {
      if (field === 'title') rule.delete(field);
      else rule.set(field, doc.createNode({ en: '' }));
      continue;
    }
    let node = rule.get(field, true) as unknown;
    if (!isMap(node)) {
      node = doc.createNode({});
      rule.set(field, node);
    }
    const map = node as YAMLMap<unknown, unknown>;
    for (const l of FORM_LOCALES) {
      const value = form[field][l];
      if (value.trim() === '') map.delete(l);
      else if (map.get(l) !== value) map.set(l, value);
    }
  }
  // auto is the default: leave it out rather than add noise, unless the file already says one.
  if (form.placement !== 'auto' || rule.has('placement')) rule.set('placement', form.placement);
  const out = String(doc);
  return { text: empty ? TOOLTIPS_HEADER + out : out };
}
