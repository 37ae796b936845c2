/**
 * Runs one walkthrough at a time: which step is current, whether it is on this screen, where its
 * target is, and what moves it on (a click, typing, a submit, reaching a screen, an element
 * appearing or going, or Next). Progress is persisted by the background after every move, so a
 * walkthrough survives SPA navigation, full reloads and browser restarts.
 *
 *   start(id) ─► step i on its screen? ─no─► wait (the launcher offers "continue on <screen>")
 *                   │yes
 *                   ▼
 *          skipIf holds? ─yes─► next step
 *                   │no
 *          resolve target (wait ifMissing.wait) ─missing─► skip | hide (snooze) | center
 *                   ▼
 *          show step, arm its advance ─fired─► next step … past the last ─► completed
 */
import type { CompiledPack, CompiledStep, CompiledWalkthrough } from '../rules/compiled';
import { localize } from '../rules/compiled';
import type { SearchRoot } from '../dom/root-registry';
import { reDispatchedFor, resolveTarget } from '../targets/resolve-target';
import type { FeedbackKind, SignalInput } from '../messages';
import type { Progress, ProgressEvent } from '../progress/progress';
import { domIdFor, type PopoverContent } from './dom-id';

export interface StepView extends PopoverContent {
  walkthrough: string;
  walkthroughTitle: string;
  index: number;
  count: number;
  /** The step advances by Next (otherwise by doing what it says). */
  manual: boolean;
  optional: boolean;
  onNext: () => void;
  onBack: () => void;
  onSkip: () => void;
  onExit: () => void;
  onSnooze: () => void;
  onRestart: () => void;
  onFeedback: (kind: FeedbackKind, comment?: string) => void;
}

export interface RunnerHost {
  window: Window;
  locale: string;
  now: () => number;
  roots: () => Iterable<SearchRoot>;
  progress: () => Progress;
  record: (event: ProgressEvent) => void;
  emit: (signal: SignalInput) => void;
  feedback: (signal: SignalInput, comment?: string) => void;
  showStep: (view: StepView | null) => void;
  /** Something changed that the help panel shows (active walkthrough, completion). */
  changed: () => void;
  /** Ask for a DOM pass soon (a timer ran out). */
  schedule: () => void;
}

interface Current {
  walkthrough: CompiledWalkthrough;
  index: number;
  /** Per shown step: its listeners and timer. */
  controller: AbortController | null;
  deadline: number;
  element: Element | null;
  shown: boolean;
}

export class WalkthroughRunner {
  private current: Current | null = null;
  private screen: string | null = null;
  private snoozed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pack: CompiledPack,
    private readonly host: RunnerHost,
    signal: AbortSignal,
  ) {
    // Continue where the user left off (a reload, a new tab, a browser restart).
    const active = host.progress().active;
    const walkthrough = active && pack.walkthroughs.find((w) => w.id === active.walkthrough);
    if (active && walkthrough) {
      const index = walkthrough.steps.findIndex((s) => s.id === active.step);
      this.current = this.fresh(walkthrough, Math.max(0, index));
      this.snoozed = active.snoozed;
    }
    signal.addEventListener('abort', () => this.clear(), { once: true });
  }

  get active(): { walkthrough: CompiledWalkthrough; step: CompiledStep; snoozed: boolean } | null {
    if (!this.current) return null;
    return { walkthrough: this.current.walkthrough, step: this.current.walkthrough.steps[this.current.index]!, snoozed: this.snoozed };
  }

  /** Something to wait for on this page (a target, an advance condition, a deadline). */
  get needsWatching(): boolean {
    return this.current !== null && !this.snoozed && this.step()?.screen === this.screen;
  }

  private fresh(walkthrough: CompiledWalkthrough, index: number): Current {
    return { walkthrough, index, controller: null, deadline: 0, element: null, shown: false };
  }

  private step(): CompiledStep | undefined {
    return this.current?.walkthrough.steps[this.current.index];
  }

  private signal(type: SignalInput['type'], step: CompiledStep): void {
    this.host.emit({ type, pack: this.pack.id, screen: this.screen ?? step.screen, rule: step.id });
  }

  start(id: string): void {
    const walkthrough = this.pack.walkthroughs.find((w) => w.id === id);
    if (!walkthrough) return;
    if (this.current && this.current.walkthrough !== walkthrough) this.exit();
    this.clear();
    this.current = this.fresh(walkthrough, 0);
    this.snoozed = false;
    const first = walkthrough.steps[0]!;
    this.host.record({ type: 'walkthrough', walkthrough: id, step: first.id, status: 'active' });
    this.signal('walkthrough-started', first);
    this.enterStep();
  }

  resume(): void {
    const step = this.step();
    if (!this.current || !step) return;
    this.snoozed = false;
    this.host.record({ type: 'walkthrough', walkthrough: this.current.walkthrough.id, step: step.id, status: 'active' });
    this.enterStep();
  }

  onScreen(screen: string | null): void {
    this.screen = screen;
    const step = this.step();
    this.clearStep();
    if (step && !this.snoozed && step.advance.kind === 'screen' && step.advance.screen === screen) return this.next();
    this.enterStep();
  }

  /** Per DOM pass: resolve the current step's target; check appears/disappears. */
  onPass(): void {
    const current = this.current;
    const step = this.step();
    if (!current || !step || this.snoozed || step.screen !== this.screen) return;
    const roots = this.host.roots();
    if (current.shown) {
      if (step.advance.kind === 'appears' && resolveTarget(step.advance.target, roots)) return this.next();
      if (step.advance.kind === 'disappears' && !resolveTarget(step.advance.target, roots)) return this.next();
      // The target re-rendered: follow it.
      if (current.element && !current.element.isConnected) {
        const again = resolveTarget(step.target, roots);
        if (again) this.show(again);
      }
      return;
    }
    if (step.skipIf) {
      const found = resolveTarget(step.skipIf.target, roots) !== null;
      if (found === (step.skipIf.kind === 'exists')) return this.next();
    }
    if (step.target.length === 0) return this.show(null);
    const element = resolveTarget(step.target, roots);
    if (element) return this.show(element);
    if (this.host.now() < current.deadline) return;
    // The target never came: the pack says what to do.
    this.host.emit({ type: 'rule-missing', pack: this.pack.id, screen: step.screen, rule: step.id });
    if (step.ifMissing.then === 'center') return this.show(null);
    if (step.ifMissing.then === 'hide') return this.snooze();
    this.next();
  }

  private enterStep(): void {
    const current = this.current;
    const step = this.step();
    if (!current || !step || this.snoozed) {
      this.host.changed();
      return;
    }
    current.deadline = this.host.now() + step.ifMissing.wait;
    clearTimeout(this.timer);
    if (step.screen === this.screen) {
      this.timer = setTimeout(() => this.host.schedule(), step.ifMissing.wait + 1);
      this.onPass();
      this.host.schedule();
    }
    this.host.changed();
  }

  private show(element: Element | null): void {
    const current = this.current!;
    const step = this.step()!;
    this.clearStep();
    const controller = (current.controller = new AbortController());
    current.element = element;
    current.shown = true;
    const fallback = this.pack.defaultLocale;
    const { locale } = this.host;
    const index = current.index;
    this.host.showStep({
      walkthrough: current.walkthrough.id,
      walkthroughTitle: localize(current.walkthrough.title, locale, fallback),
      id: step.id,
      domId: domIdFor(step.id),
      element,
      ...(step.title !== undefined && { title: localize(step.title, locale, fallback) }),
      text: localize(step.text, locale, fallback),
      placement: step.placement,
      index,
      count: current.walkthrough.steps.length,
      manual: step.advance.kind === 'next' || element === null,
      optional: step.optional,
      onNext: () => this.current?.index === index && this.next(),
      onBack: () => this.current?.index === index && this.back(),
      onSkip: () => this.current?.index === index && this.next(),
      onExit: () => this.exit(),
      onSnooze: () => this.snooze(),
      onRestart: () => this.start(current.walkthrough.id),
      onFeedback: (kind, comment) =>
        this.host.feedback({ type: 'feedback', pack: this.pack.id, screen: step.screen, rule: step.id, detail: kind }, comment),
    });
    this.signal('walkthrough-step', step);
    if (element) this.arm(step, element, controller.signal);
  }

  /** Listen for what moves this step on; everything stops with the step. */
  private arm(step: CompiledStep, element: Element, signal: AbortSignal): void {
    // change, input and submit do not leave a shadow root: listen at the element's own root too.
    // Components that re-dispatch them from their host (Lightning does) are caught at the window.
    const roots = new Set<EventTarget>([this.host.window, element.getRootNode()]);
    const on = (type: string, hit: (e: Event) => boolean) => {
      let fired = false;
      const listener = (e: Event) => {
        if (fired || !hit(e)) return;
        fired = true;
        queueMicrotask(() => this.next());
      };
      for (const root of roots) root.addEventListener(type, listener, { capture: true, signal });
    };
    const inPath = (e: Event) => e.composedPath().includes(element);
    const orHost = (e: Event) => inPath(e) || reDispatchedFor(e, element);
    switch (step.advance.kind) {
      case 'click':
        return on('click', inPath);
      case 'input':
        return on('input', orHost);
      case 'change':
        return on('change', orHost);
      case 'submit':
        return on('submit', (e) => e.target === element || (element as HTMLButtonElement).form === e.target || orHost(e));
      default:
        return;
    }
  }

  private next(): void {
    const current = this.current;
    if (!current) return;
    this.clearStep();
    const nextIndex = current.index + 1;
    if (nextIndex >= current.walkthrough.steps.length) return this.complete();
    current.index = nextIndex;
    const step = current.walkthrough.steps[nextIndex]!;
    this.host.record({ type: 'walkthrough', walkthrough: current.walkthrough.id, step: step.id, status: 'active' });
    this.enterStep();
  }

  private back(): void {
    const current = this.current;
    if (!current || current.index === 0) return;
    this.clearStep();
    current.index -= 1;
    const step = current.walkthrough.steps[current.index]!;
    this.host.record({ type: 'walkthrough', walkthrough: current.walkthrough.id, step: step.id, status: 'active' });
    this.enterStep();
  }

  private complete(): void {
    this.end('completed', 'walkthrough-completed', this.current!.walkthrough.steps.at(-1)!);
  }

  exit(): void {
    const step = this.step();
    // "Abandoned at step k" is what managers' funnels need: the step id says which.
    if (step) this.end('exited', 'walkthrough-abandoned', step);
  }

  private end(status: 'completed' | 'exited', type: 'walkthrough-completed' | 'walkthrough-abandoned', step: CompiledStep): void {
    this.host.record({ type: 'walkthrough', walkthrough: this.current!.walkthrough.id, step: step.id, status });
    this.signal(type, step);
    this.clear();
    this.current = null;
    this.host.changed();
  }

  snooze(): void {
    const step = this.step();
    if (!this.current || !step) return;
    this.snoozed = true;
    this.host.record({ type: 'walkthrough', walkthrough: this.current.walkthrough.id, step: step.id, status: 'snoozed' });
    this.clear();
    this.host.changed();
  }

  private clearStep(): void {
    if (!this.current) return;
    this.current.controller?.abort();
    this.current.controller = null;
    this.current.element = null;
    if (this.current.shown) {
      this.current.shown = false;
      this.host.showStep(null);
    }
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.clearStep();
  }
}
