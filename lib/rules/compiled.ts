/**
 * The compiled rule bundle: plain, serializable JSON that the background hands to content scripts.
 * No zod and no YAML here, so the content script stays small. Built by compile.ts.
 *
 *   CompiledBundle
 *   └─ packs[]: CompiledPack            one per content-rules/<pack>/
 *      ├─ hosts[]                       { scheme, host, wildcard } from pack.yaml
 *      ├─ screens[]: CompiledScreen     sorted by id; the matching screen with the most specific
 *      │   └─ url[]: CompiledUrl        matching URL (plus probes) wins, ties by id (match-screen.ts)
 *      └─ rules[]: CompiledRule         each names its screen; `source` is the reverse map
 *                                       ("why did this show?" -> file:line)
 */
export type Text = string | Record<string, string>;

export interface SourceRef {
  file: string; // path relative to content-rules/, e.g. "demo/contact-list.tooltips.yaml"
  line: number;
}

export interface CompiledHost {
  scheme: 'https' | 'http';
  host: string; // without the "*." prefix
  wildcard: boolean; // true: any subdomain of host (and host itself)
}

/** A RegExp as source + flags; built once per page. Linear-time by construction (url-pattern.ts). */
export interface CompiledRegExp {
  source: string;
  flags: string;
}

export interface CompiledUrl {
  path?: CompiledRegExp;
  hash?: CompiledRegExp;
  /** [name, pattern | true (present) | false (absent)] */
  query?: Array<[string, CompiledRegExp | boolean]>;
  /** Higher is more specific: literal characters, then parameters, then wildcards. */
  specificity: number;
  /** Letter case ignored, in parameter names too. */
  ignoreCase?: boolean;
}

export interface TargetStrategy {
  css?: string;
  role?: string;
  name?: string;
  label?: string;
  text?: string;
  within?: string;
  nth?: number;
}

export interface CompiledProbe {
  kind: 'exists' | 'absent';
  target: TargetStrategy[];
}

export interface CompiledScreen {
  id: string; // "demo/contact-list"
  title: Text;
  url: CompiledUrl[];
  probes: CompiledProbe[];
  source: SourceRef;
}

export interface CompiledWhen {
  trigger: 'screen' | 'visible' | 'focus';
  /** Visits counted per screen id (and, with `from`, per previous screen id). */
  after?: { visits: string; from?: string; times: number };
  stages?: string[];
  audience?: string[];
  locales?: string[];
}

export type Frequency = 'once' | 'daily' | 'until-dismissed' | 'until-completed' | 'always';
export type Placement = 'top' | 'bottom' | 'left' | 'right' | 'auto';
export interface IfMissing {
  wait: number;
  then: 'skip' | 'hide' | 'center';
}

interface CompiledRuleBase {
  id: string; // "demo/contact-list.tooltips#search"
  screen: string; // "demo/contact-list"
  /** Empty for a tip without a target (help panel only). */
  target: TargetStrategy[];
  title?: Text;
  text: Text;
  placement: Placement;
  ifMissing: IfMissing;
  when?: CompiledWhen;
  frequency: Frequency;
  /** Related walkthrough id ("demo/log-a-call.walkthrough"). */
  walkthrough?: string;
  source: SourceRef;
}

export interface CompiledTooltip extends CompiledRuleBase {
  kind: 'tooltip';
  display: 'tooltip' | 'beacon';
}

export type CompiledAction =
  | { kind: 'click' | 'submit' | 'change'; target: TargetStrategy[] }
  | { kind: 'screen'; screen: string };

export interface CompiledTip extends CompiledRuleBase {
  kind: 'tip';
  replaces: Text;
  savesSeconds: number;
  action: CompiledAction;
  mastery: number;
}

export type CompiledRule = CompiledTooltip | CompiledTip;

export type CompiledAdvance =
  | { kind: 'next' | 'click' | 'input' | 'change' | 'submit' }
  | { kind: 'screen'; screen: string }
  | { kind: 'appears' | 'disappears'; target: TargetStrategy[] };

export interface CompiledStep {
  id: string; // "demo/log-a-call.walkthrough#open-dialog"
  screen: string;
  target: TargetStrategy[];
  title?: Text;
  text: Text;
  placement: Placement;
  advance: CompiledAdvance;
  optional: boolean;
  skipIf?: CompiledProbe;
  ifMissing: IfMissing;
  source: SourceRef;
}

export interface CompiledWalkthrough {
  id: string; // "demo/log-a-call.walkthrough"
  title: Text;
  description?: Text;
  startOn: string[];
  when?: Omit<CompiledWhen, 'trigger' | 'after'>;
  steps: CompiledStep[];
  source: SourceRef;
}

export interface CompiledStage {
  id: string;
  title: Text;
  description?: Text;
  checklist: Array<{ walkthrough: string } | { tip: string }>;
}

export interface CompiledPack {
  id: string; // folder name
  name: Text;
  version: string;
  crm: string;
  hosts: CompiledHost[];
  locales: string[];
  defaultLocale: string;
  stages: CompiledStage[];
  liveStage?: string;
  /** Error banners and toasts of this CRM (friction signals count them). */
  errorTargets?: TargetStrategy[];
  screens: CompiledScreen[];
  rules: CompiledRule[];
  walkthroughs: CompiledWalkthrough[];
}

export interface CompiledBundle {
  format: 1;
  packs: CompiledPack[];
}

/** Does a pack host pattern cover this URL's scheme and hostname? */
export function hostMatches(pattern: CompiledHost, protocol: string, hostname: string): boolean {
  if (protocol.replace(/:$/, '') !== pattern.scheme) return false;
  const host = hostname.toLowerCase();
  if (host === pattern.host) return true;
  return pattern.wildcard && host.endsWith(`.${pattern.host}`);
}

/** The Chrome match pattern for a host, for the manifest's content_scripts and host_permissions. */
export function toMatchPattern(h: CompiledHost): string {
  return `${h.scheme}://${h.wildcard ? '*.' : ''}${h.host}/*`;
}

/** The packs that run on a URL: what the background sends to one tab. */
export function packsForUrl(bundle: CompiledBundle, url: URL): CompiledPack[] {
  return bundle.packs.filter((p) => p.hosts.some((h) => hostMatches(h, url.protocol, url.hostname)));
}

/** Pick the text for a locale: exact tag, then its language, then the pack default, then any. */
export function localize(text: Text, locale: string, fallback = 'en'): string {
  if (typeof text === 'string') return text;
  const language = locale.split('-')[0]!;
  return (
    text[locale] ??
    text[language] ??
    // Norwegian: "no" and "nn" readers are better served by bokmål than by English.
    (language === 'no' || language === 'nn' ? text.nb : undefined) ??
    text[fallback] ??
    Object.values(text)[0] ??
    ''
  );
}
