/**
 * The content script's engine: which screen is this, which rules are live, where are their
 * targets, and what is shown. Plain TypeScript over injected `window`/`document`; the entrypoint
 * only wires it to `browser` and the overlay.
 *
 * Life cycle:
 *   navigation or DOM pass -> screen (URL, then probes) -> on change: abort the old screen's
 *   controller (its tooltips go), make the new screen's rules pending -> each pass resolves
 *   pending targets only; found -> shown; past its wait -> reported once as rule health.
 *   Shown targets that leave the page go back to pending (a list re-rendered).
 * The DOM watcher runs only while something is pending or shown, or screens need DOM probes.
 */
import type { CompiledPack, CompiledRule, Placement } from '../rules/compiled';
import { localize } from '../rules/compiled';
import { DomWatcher } from '../dom/dom-watcher';
import { onNavigate } from '../dom/on-navigate';
import { normalizeUrl } from '../screens/match-url';
import { hasDomProbes, matchScreen, type ScreenMatch } from '../screens/match-screen';
import { isVisible, resolveTarget } from '../targets/resolve-target';
import type { SignalInput } from '../messages';

export interface TooltipView {
  id: string;
  /** DOM-safe id derived from the rule id (for aria-labelledby and tests). */
  domId: string;
  element: Element;
  title?: string;
  text: string;
  placement: Placement;
  /** For "this saves you time" tips. */
  savesSeconds?: number;
  replaces?: string;
  onDismiss: () => void;
}

export interface OverlayPort {
  show(view: TooltipView): void;
  hide(id: string): void;
}

export interface CoachOptions {
  window: Window;
  packs: CompiledPack[];
  signal: AbortSignal;
  locale?: string;
  /** Loads the overlay on first use (it is not part of the content script). */
  loadOverlay: () => Promise<OverlayPort>;
  emit: (signal: SignalInput) => void;
  now?: () => number;
  debug?: boolean;
}

interface LiveRule {
  rule: CompiledRule;
  deadline: number;
  element: Element | null;
  dismissed: boolean;
  missReported: boolean;
  shownReported: boolean;
}

export const domIdFor = (ruleId: string) => `crm-coach-${ruleId.replace(/[^a-zA-Z0-9]+/g, '-')}`;

export class Coach {
  private readonly watcher: DomWatcher;
  private readonly domProbes: boolean;
  private readonly hasNavigationApi: boolean;
  private readonly now: () => number;
  private current: ScreenMatch | null = null;
  private screenController: AbortController | null = null;
  private live = new Map<string, LiveRule>();
  private overlay: Promise<OverlayPort> | null = null;
  private lastHref = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: CoachOptions) {
    this.now = options.now ?? (() => Date.now());
    this.domProbes = hasDomProbes(options.packs);
    this.watcher = new DomWatcher({
      document: options.window.document,
      signal: options.signal,
      onPass: () => this.pass(),
      requestFrame: (cb) => options.window.requestAnimationFrame(cb),
    });
    const nav = onNavigate(options.window, options.signal, () => this.watcher.schedule());
    this.hasNavigationApi = nav.hasNavigationApi;
    options.signal.addEventListener('abort', () => this.leaveScreen(), { once: true });
  }

  start(): void {
    this.pass();
  }

  get screen(): string | null {
    return this.current?.screen.id ?? null;
  }

  /** One pass: screen, then targets. Runs at most once per frame. */
  private pass(): void {
    if (this.options.signal.aborted) return;
    const href = this.options.window.location.href;
    if (href !== this.lastHref || this.domProbes) {
      this.lastHref = href;
      const match = matchScreen(this.options.packs, normalizeUrl(href), this.watcher.registry.roots);
      if (match?.screen.id !== this.current?.screen.id) this.enterScreen(match);
    }
    // Connect (and rescan, if we were idle) before resolving: while idle we saw no mutations, so
    // the registry may be missing shadow roots the page rendered since.
    this.updateWatching();
    this.resolvePending();
    this.updateWatching();
  }

  private leaveScreen(): void {
    this.screenController?.abort();
    this.screenController = null;
    clearTimeout(this.timer);
    if (this.overlay) {
      const ids = [...this.live.values()].filter((l) => l.element).map((l) => l.rule.id);
      void this.overlay.then((o) => ids.forEach((id) => o.hide(id)));
    }
    this.live = new Map();
  }

  private enterScreen(match: ScreenMatch | null): void {
    this.leaveScreen();
    this.current = match;
    if (!match) return;
    this.screenController = new AbortController();
    const now = this.now();
    for (const rule of match.pack.rules) {
      // Tips without a target live in the help panel only.
      if (rule.screen !== match.screen.id || rule.target.length === 0) continue;
      this.live.set(rule.id, { rule, deadline: now + rule.ifMissing.wait, element: null, dismissed: false, missReported: false, shownReported: false });
    }
    if (this.options.debug) console.debug('[crm-coach] screen', match.screen.id);
  }

  private resolvePending(): void {
    const match = this.current;
    if (!match) return;
    const roots = this.watcher.registry.roots;
    const now = this.now();
    let nextDeadline = Infinity;
    for (const live of this.live.values()) {
      if (live.dismissed || live.missReported) continue;
      if (live.element) {
        if (live.element.isConnected && isVisible(live.element)) continue;
        // The target left (re-render): hide and look for it again.
        live.element = null;
        void this.overlay?.then((o) => o.hide(live.rule.id));
      }
      const element = resolveTarget(live.rule.target, roots);
      if (element) {
        live.element = element;
        this.show(match, live);
      } else if (now >= live.deadline) {
        {
          live.missReported = true;
          if (this.options.debug) console.debug('[crm-coach] target not found', live.rule.id);
          this.options.emit({ type: 'rule-missing', pack: match.pack.id, screen: match.screen.id, rule: live.rule.id });
        }
      } else {
        nextDeadline = Math.min(nextDeadline, live.deadline);
      }
    }
    // Wake up once at the earliest deadline, so a miss is reported even on a quiet page.
    clearTimeout(this.timer);
    if (nextDeadline < Infinity) {
      this.timer = setTimeout(() => this.watcher.schedule(), Math.max(0, nextDeadline - now) + 1);
    }
  }

  private show(match: ScreenMatch, live: LiveRule): void {
    const { rule } = live;
    const locale = this.options.locale ?? 'en';
    const fallback = match.pack.defaultLocale;
    const element = live.element!;
    const view: TooltipView = {
      id: rule.id,
      domId: domIdFor(rule.id),
      element,
      ...(rule.title !== undefined && { title: localize(rule.title, locale, fallback) }),
      text: localize(rule.text, locale, fallback),
      placement: rule.placement,
      ...(rule.kind === 'tip' && { savesSeconds: rule.savesSeconds, replaces: localize(rule.replaces, locale, fallback) }),
      onDismiss: () => {
        live.dismissed = true;
        void this.overlay?.then((o) => o.hide(rule.id));
      },
    };
    const screenSignal = this.screenController?.signal;
    this.overlay ??= this.options.loadOverlay();
    this.overlay.then(
      (o) => {
        // The screen may have changed, or the target gone, while the overlay loaded.
        if (screenSignal?.aborted || live.element !== element) return;
        o.show(view);
        if (live.shownReported) return; // re-shown after a re-render: one signal per visit
        live.shownReported = true;
        this.options.emit({ type: 'tip-shown', pack: match.pack.id, screen: match.screen.id, rule: rule.id });
      },
      (error) => {
        this.overlay = null;
        if (this.options.debug) console.debug('[crm-coach] overlay failed to load', error);
      },
    );
  }

  private updateWatching(): void {
    const needed =
      this.domProbes ||
      !this.hasNavigationApi ||
      [...this.live.values()].some((l) => !l.dismissed && (l.element !== null || !l.missReported));
    this.watcher.setActive(needed);
  }
}
