/**
 * The content script's engine: which screen is this, which rules are live, where are their
 * targets, and what is shown. Plain TypeScript over injected `window`/`document`; the entrypoint
 * only wires it to `browser` and the overlay.
 *
 * Life cycle:
 *   navigation or DOM pass -> screen (URL, then probes) -> on change: abort the old screen's
 *   controller (its tooltips and listeners go), count the visit, gate the new screen's rules
 *   (frequency, stage, audience, mastery: gating.ts) -> each pass resolves pending targets only;
 *   found -> shown (or armed: shown when it scrolls into view / gets focus); past its wait ->
 *   reported once as rule health. Shown targets that leave the page go back to pending.
 * The DOM watcher runs only while something is pending or shown, or screens need DOM probes.
 */
import type { CompiledPack, CompiledRule } from '../rules/compiled';
import { localize } from '../rules/compiled';
import { DomWatcher } from '../dom/dom-watcher';
import { onNavigate } from '../dom/on-navigate';
import { normalizeUrl } from '../screens/match-url';
import { hasDomProbes, matchScreen, type ScreenMatch } from '../screens/match-screen';
import { resolveTarget, resolveTargetIn, TargetScope } from '../targets/resolve-target';
import type { CoachContext, FeedbackKind, SignalInput } from '../messages';
import { buildPanelModel, type PanelView } from './panel-model';
import { WalkthroughRunner, type StepView } from './walkthrough-runner';
import { gate } from '../progress/gating';
import { applyProgressEvent, emptyProgress, type Progress, type ProgressEvent } from '../progress/progress';
import { watchTipActions } from './tip-actions';
import { domIdFor, type PopoverContent } from './dom-id';
import { dayOf } from '../day';
import { ruleTargetIdOf, type NamedTarget } from './rule-target-id';
import { watchFriction, type FrictionWatch } from '../signals/dom-adapter';
import { DEFAULT_FRICTION_THRESHOLDS } from '../signals/thresholds';

export { domIdFor };

export interface TooltipView extends PopoverContent {
  display: 'tooltip' | 'beacon';
  /** For "this saves you time" tips. */
  savesSeconds?: number;
  replaces?: string;
  onDismiss: () => void;
  onFeedback: (kind: FeedbackKind, comment?: string) => void;
}

export interface OverlayPort {
  show(view: TooltipView): void;
  hide(id: string): void;
  /** The walkthrough step to show (null: none); focus moves in when the user asked for it. */
  showStep(view: StepView | null, takeFocus?: boolean): void;
  /** The launcher and help panel for this screen (null: none). */
  setPanel(panel: PanelView | null): void;
}

export interface CoachOptions {
  window: Window;
  packs: CompiledPack[];
  progress?: Progress;
  context?: CoachContext;
  signal: AbortSignal;
  /** Loads the overlay on first use (it is not part of the content script). */
  loadOverlay: () => Promise<OverlayPort>;
  /** Anonymous friction/usage signal (stored by the background). */
  emit: (signal: SignalInput) => void;
  /** The user's own progress changed (persisted by the background). */
  record: (event: ProgressEvent) => void;
  /** Feedback on a tip or step: an anonymous signal, plus a comment the user wrote knowingly. */
  feedback: (signal: SignalInput, comment?: string) => void;
  /** The user paused friction signals: do not even watch for them. */
  frictionPaused?: boolean;
  now?: () => Date;
  debug?: boolean;
}

interface LiveRule {
  rule: CompiledRule;
  deadline: number;
  element: Element | null;
  /** Armed: found, waiting for its trigger (visible / focus). */
  armed: AbortController | null;
  shown: boolean;
  dismissed: boolean;
  missReported: boolean;
  shownReported: boolean;
  /** Not searched yet on the whole page (new on this screen, or its element left). */
  fresh: boolean;
}

/**
 * How expensive the first strategy of a target is to search a whole page for: a selector query
 * (native), a label (labels and their controls), a role with an accessible name (names computed
 * per candidate), visible text (text nodes walked).
 */
function searchCost(rule: CompiledRule): number {
  const first = rule.target[0];
  if (!first) return 0;
  if (first.css !== undefined && first.text === undefined && first.name === undefined) return 0;
  if (first.label !== undefined) return 1;
  if (first.role !== undefined) return 2;
  return 3;
}

/** Per frame, for searching the whole page (screen entry): well under a 16 ms frame. */
const FULL_SEARCH_BUDGET_MS = 6;

export class Coach {
  private readonly watcher: DomWatcher;
  private readonly domProbes: boolean;
  private readonly hasNavigationApi: boolean;
  private readonly now: () => Date;
  private readonly locale: string;
  private progress: Progress;
  private current: ScreenMatch | null = null;
  private screenController: AbortController | null = null;
  private live = new Map<string, LiveRule>();
  private overlay: Promise<OverlayPort> | null = null;
  private lastHref = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly runners = new Map<string, WalkthroughRunner>();
  /** The user clicked in our UI just now: the next step may take focus. */
  private userAsked = false;
  /** A walkthrough step is on screen: other guidance waits (holdForStep). */
  private stepShown = false;
  private readonly friction: FrictionWatch | null;

  constructor(private readonly options: CoachOptions) {
    this.now = options.now ?? (() => new Date());
    this.progress = options.progress ?? emptyProgress();
    this.locale = options.context?.locale ?? options.window.navigator.language ?? 'en';
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
    for (const pack of options.packs) {
      if (pack.walkthroughs.length > 0) this.runners.set(pack.id, this.createRunner(pack));
    }
    // Friction signals: only when the user has not paused them (then nothing is even watched).
    this.friction = options.frictionPaused
      ? null
      : watchFriction({
          window: options.window,
          signal: options.signal,
          screen: () => this.screen,
          roots: () => this.watcher.registry.roots,
          errorTargets: options.packs.flatMap((p) => p.errorTargets ?? []),
          thresholds: DEFAULT_FRICTION_THRESHOLDS,
          targetIdOf: ruleTargetIdOf(() => this.namedTargets(), () => this.watcher.registry.roots),
          onDetection: (d) =>
            options.emit({
              type: d.type,
              // A detection can belong to the screen just left: its pack is in its id.
              pack: d.screen.split('/')[0]!,
              screen: d.screen,
              ...(d.target && { rule: d.target }),
              ...(d.bucket && { detail: d.bucket }),
              ...(d.count && { count: d.count }),
              ...(d.peer && { peer: d.peer }),
            }),
        });
  }

  /** This screen's rule targets, tip action targets (under the tip's id) and walkthrough steps. */
  private *namedTargets(): Iterable<NamedTarget> {
    const match = this.current;
    if (!match) return;
    for (const rule of match.pack.rules) {
      if (rule.screen !== match.screen.id) continue;
      yield { id: rule.id, target: rule.target };
      if (rule.kind === 'tip' && rule.action.kind !== 'screen') yield { id: rule.id, target: rule.action.target };
    }
    for (const w of match.pack.walkthroughs) {
      for (const step of w.steps) if (step.screen === match.screen.id) yield { id: step.id, target: step.target };
    }
  }

  private createRunner(pack: CompiledPack): WalkthroughRunner {
    return new WalkthroughRunner(
      pack,
      {
        window: this.options.window,
        locale: this.locale,
        now: () => this.now().getTime(),
        roots: () => this.watcher.registry.roots,
        progress: () => this.progress,
        record: (event) => this.record(event),
        emit: (signal) => this.options.emit(signal),
        feedback: (signal, comment) => this.options.feedback(signal, comment),
        showStep: (view) => {
          const takeFocus = this.userAsked;
          this.userAsked = false;
          if (view || this.overlay) this.withOverlay((o) => o.showStep(view, takeFocus));
          this.holdForStep(view !== null);
        },
        changed: () => this.updatePanel(),
        schedule: () => this.watcher.schedule(),
      },
      this.options.signal,
    );
  }

  /**
   * While a walkthrough step is on screen, it is the only guidance shown: other tooltips, tips
   * and beacons step aside (they would compete for attention, and could cover the very element
   * the step asks the user to click) and come back, unchanged, when no step is shown.
   */
  private holdForStep(stepShown: boolean): void {
    if (stepShown === this.stepShown) return;
    this.stepShown = stepShown;
    const match = this.current;
    for (const live of this.live.values()) {
      if (stepShown) {
        if (!live.shown) continue;
        live.shown = false;
        void this.overlay?.then((o) => o.hide(live.rule.id));
      } else if (match && live.element && !live.shown && !live.dismissed && !(live.armed && !live.armed.signal.aborted)) {
        this.show(match, live);
      }
    }
  }

  private withOverlay(use: (overlay: OverlayPort) => void): void {
    this.overlay ??= this.options.loadOverlay();
    this.overlay.then(use, (error) => {
      this.overlay = null;
      if (this.options.debug) console.debug('[crm-coach] overlay failed to load', error);
    });
  }

  /** The launcher and help panel for the current screen. */
  private updatePanel(): void {
    const match = this.current;
    if (!match) {
      if (this.overlay) this.withOverlay((o) => o.setPanel(null));
      return;
    }
    const { pack, screen } = match;
    const model = buildPanelModel(pack, screen, this.progress, {
      locale: this.locale,
      liveStage: this.options.context?.liveStages[pack.id] ?? pack.liveStage,
      month: dayOf(this.now()).slice(0, 7),
    });
    const runner = this.runners.get(pack.id);
    const view: PanelView = {
      ...model,
      onStart: (id) => {
        this.userAsked = true;
        runner?.start(id);
      },
      onResume: () => {
        this.userAsked = true;
        runner?.resume();
      },
      onOpen: () => this.options.emit({ type: 'help-opened', pack: pack.id, screen: screen.id }),
    };
    this.withOverlay((o) => o.setPanel(view));
  }

  /** Start a walkthrough now, as if from the help panel (the editor's preview, lib/content/preview.ts). */
  startWalkthrough(id: string): void {
    for (const runner of this.runners.values()) runner.start(id);
  }

  start(): void {
    this.pass();
    // One frame pass too: it also looks again at custom elements not upgraded yet.
    this.watcher.schedule();
  }

  get screen(): string | null {
    return this.current?.screen.id ?? null;
  }

  /** Apply a progress event locally (gating never waits) and have the background persist it. */
  private record(event: ProgressEvent): void {
    this.progress = applyProgressEvent(this.progress, event, dayOf(this.now()));
    this.options.record(event);
  }

  /** One pass: screen, then targets. Runs at most once per frame. */
  private pass(): void {
    if (this.options.signal.aborted) return;
    const scope = new TargetScope(this.watcher.registry.roots);
    const href = this.options.window.location.href;
    if (href !== this.lastHref || this.domProbes) {
      this.lastHref = href;
      const match = matchScreen(this.options.packs, normalizeUrl(href), scope);
      if (match?.screen.id !== this.current?.screen.id) this.enterScreen(match);
    }
    // Connect (and rescan, if we were idle) before resolving: while idle we saw no mutations, so
    // the registry may be missing shadow roots the page rendered since.
    this.updateWatching();
    this.resolvePending(new TargetScope(this.watcher.registry.roots), this.watcher.takeChanged());
    for (const runner of this.runners.values()) runner.onPass();
    this.updateWatching();
  }

  private leaveScreen(): void {
    this.screenController?.abort();
    this.screenController = null;
    clearTimeout(this.timer);
    const shown = [...this.live.values()].filter((l) => l.shown).map((l) => l.rule.id);
    if (this.overlay && shown.length > 0) void this.overlay.then((o) => shown.forEach((id) => o.hide(id)));
    this.live = new Map();
  }

  private enterScreen(match: ScreenMatch | null): void {
    const previous = this.current;
    this.leaveScreen();
    this.current = match;
    for (const [packId, runner] of this.runners) runner.onScreen(match?.pack.id === packId ? match.screen.id : null);
    this.updatePanel();
    this.friction?.screenChanged();
    if (!match) return;
    const controller = (this.screenController = new AbortController());
    const { pack, screen } = match;
    const from = previous?.pack === pack ? previous.screen.id : undefined;
    this.record({ type: 'visit', screen: screen.id, ...(from && { from }) });

    // Tips are learned by doing: count their faster path whether or not the tip is showing.
    watchTipActions({
      window: this.options.window,
      pack,
      screen: screen.id,
      roots: () => this.watcher.registry.roots,
      signal: controller.signal,
      onAction: (rule) => this.record({ type: 'action', rule: rule.id, seconds: rule.savesSeconds }),
    });

    const ctx = {
      progress: this.progress,
      liveStage: this.options.context?.liveStages[pack.id] ?? pack.liveStage,
      audience: this.options.context?.audience,
      locale: this.locale,
      today: dayOf(this.now()),
    };
    const now = this.now().getTime();
    // Cheap searches first: a whole-page search is spread over frames (FULL_SEARCH_BUDGET_MS),
    // so a CSS target must not wait a frame behind a visible-text scan of a big page.
    const rules = pack.rules.filter((r) => r.screen === screen.id && r.target.length > 0).sort((a, b) => searchCost(a) - searchCost(b));
    for (const rule of rules) {
      // (Tips without a target live in the help panel only: filtered out above.)
      const verdict = gate(rule, ctx);
      if (!verdict.show) {
        if (this.options.debug) console.debug('[crm-coach] not showing', rule.id, verdict.reason);
        continue;
      }
      this.live.set(rule.id, {
        rule,
        deadline: now + rule.ifMissing.wait,
        element: null,
        armed: null,
        shown: false,
        dismissed: false,
        missReported: false,
        shownReported: false,
        fresh: true,
      });
    }
    if (this.options.debug) console.debug('[crm-coach] screen', screen.id);
  }

  /**
   * Targets not found yet are looked for in what changed since the last pass (all of the page
   * when a rule is new or the watcher restarted). Shown targets are only checked for having left
   * the page; the overlay hides a tooltip whose target is hidden (floating-ui's `hide`).
   */
  private resolvePending(scope: TargetScope, changed: Element[] | 'all'): void {
    const match = this.current;
    if (!match) return;
    const now = this.now().getTime();
    let nextDeadline = Infinity;
    // Whole-page searches (a new screen, a restart) are spread over frames: at most
    // FULL_SEARCH_BUDGET_MS per frame, so a big page never gets a long task from us.
    const budgetEnd = performance.now() + FULL_SEARCH_BUDGET_MS;
    let more = false;
    for (const live of this.live.values()) {
      if (live.dismissed || live.missReported) continue;
      if (live.element) {
        if (live.element.isConnected) continue;
        // The target left (re-render): hide, disarm and look for it again.
        this.unshow(live);
        live.fresh = true;
      }
      if (changed === 'all') live.fresh = true;
      if (live.fresh && performance.now() > budgetEnd) {
        more = true;
        continue;
      }
      const element = live.fresh ? resolveTarget(live.rule.target, scope) : resolveTargetIn(live.rule.target, scope, changed as Element[]);
      live.fresh = false;
      if (element) {
        live.element = element;
        this.arm(match, live);
      } else if (now >= live.deadline) {
        live.missReported = true;
        if (this.options.debug) console.debug('[crm-coach] target not found', live.rule.id);
        this.options.emit({ type: 'rule-missing', pack: match.pack.id, screen: match.screen.id, rule: live.rule.id });
        // The text still helps without its arrow, if the rule says so.
        if (live.rule.ifMissing.then === 'center') this.show(match, live);
      } else {
        nextDeadline = Math.min(nextDeadline, live.deadline);
      }
    }
    if (more) this.watcher.schedule();
    // Wake up once at the earliest deadline, so a miss is reported even on a quiet page.
    clearTimeout(this.timer);
    if (nextDeadline < Infinity) {
      this.timer = setTimeout(() => this.watcher.schedule(), Math.max(0, nextDeadline - now) + 1);
    }
  }

  private unshow(live: LiveRule): void {
    live.armed?.abort();
    live.armed = null;
    live.element = null;
    if (live.shown) {
      live.shown = false;
      void this.overlay?.then((o) => o.hide(live.rule.id));
    }
  }

  /** Show now, or when the trigger fires (the target scrolls into view / gets focus). */
  private arm(match: ScreenMatch, live: LiveRule): void {
    const element = live.element!;
    const trigger = live.rule.when?.trigger ?? 'screen';
    if (trigger === 'screen') return this.show(match, live);
    const armed = (live.armed = new AbortController());
    const signal = AbortSignal.any([armed.signal, this.screenController!.signal]);
    const fire = () => {
      if (signal.aborted) return;
      armed.abort();
      this.show(match, live);
    };
    if (trigger === 'focus') {
      element.addEventListener('focusin', fire, { signal });
      if (element.matches(':focus-within')) fire();
      return;
    }
    const view = this.options.window as Window & typeof globalThis;
    const observer = new view.IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) fire();
    });
    observer.observe(element);
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  }

  private show(match: ScreenMatch, live: LiveRule): void {
    if (this.stepShown) return; // shown when the step goes (holdForStep)
    const { rule } = live;
    const fallback = match.pack.defaultLocale;
    const element = live.element;
    const view: TooltipView = {
      id: rule.id,
      domId: domIdFor(rule.id),
      element,
      ...(rule.title !== undefined && { title: localize(rule.title, this.locale, fallback) }),
      text: localize(rule.text, this.locale, fallback),
      placement: rule.placement,
      display: rule.kind === 'tooltip' ? rule.display : 'tooltip',
      ...(rule.kind === 'tip' && { savesSeconds: rule.savesSeconds, replaces: localize(rule.replaces, this.locale, fallback) }),
      onFeedback: (kind, comment) =>
        this.options.feedback({ type: 'feedback', pack: match.pack.id, screen: match.screen.id, rule: rule.id, detail: kind }, comment),
      onDismiss: () => {
        if (live.dismissed) return;
        live.dismissed = true;
        live.shown = false;
        void this.overlay?.then((o) => o.hide(rule.id));
        this.record({ type: 'dismissed', rule: rule.id });
        this.options.emit({ type: 'tip-dismissed', pack: match.pack.id, screen: match.screen.id, rule: rule.id });
      },
    };
    const screenSignal = this.screenController?.signal;
    this.overlay ??= this.options.loadOverlay();
    this.overlay.then(
      (o) => {
        // The screen may have changed, or the target gone, while the overlay loaded.
        if (screenSignal?.aborted || live.element !== element || live.dismissed || this.stepShown) return;
        o.show(view);
        live.shown = true;
        if (live.shownReported) return; // re-shown after a re-render: one count per visit
        live.shownReported = true;
        this.record({ type: 'shown', rule: rule.id });
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
      [...this.runners.values()].some((r) => r.needsWatching) ||
      [...this.live.values()].some((l) => !l.dismissed && (l.element !== null || !l.missReported));
    this.watcher.setActive(needed);
  }
}
