/**
 * The thin DOM layer of the friction signals: turns real events into the detectors' abstract
 * observations (detectors/detection.ts) and hands detections to the caller.
 *
 * What it reads from the page, and nothing else:
 *  - the event path (composedPath(), so shadow DOM works) and each element's tag name;
 *  - the structural attributes role, type, required / aria-required, aria-invalid, disabled /
 *    aria-disabled, href and download/target *presence*, and `isContentEditable`;
 *  - booleans the browser computes about a field (validity.valueMissing, validity.valid) —
 *    "a required value is missing", never the value;
 *  - whether a multi-click left a text selection (Selection.isCollapsed, not the text);
 *  - for a click: its coordinates, the computed `cursor` of the clicked element when nothing
 *    structural says "clickable", and the clicked control's bounding box for keyboard clicks
 *    (which have no coordinates) — the only layout read, once per click;
 *  - whether the pack's error-banner target is on the page (the coach's target resolver);
 *  - location.href, hashed in memory to an opaque number (same record or not); never kept, never
 *    sent.
 * Never text, values, labels, names or other attributes. Elements become opaque per-page
 * counters; a clicked element becomes a rule id only through the caller's `targetIdOf`.
 *
 * Cost: capture-phase listeners on `window` only (no per-element listeners), no polling. A
 * MutationObserver is connected only while a click waits for a response (≤ deadClick.windowMs)
 * or, when the pack has an error target, for errorBanner.watchMs after a click or submit; the
 * banner is checked at most once per animation frame. Keystrokes and scrolls cost a flag check
 * unless a click is waiting for a response. One timer, for the earliest deadline.
 *
 * Everything is tied to `signal`: listeners, the observer and the timer go when it aborts.
 * Events inside the coach's own overlay are ignored (they are not the CRM's friction).
 */
import type { SearchRoot } from '../dom/root-registry';
import type { TargetStrategy } from '../rules/compiled';
import { composedContains, resolveTargetAll } from '../targets/resolve-target';
import { createFrictionEngine } from './detectors/engine';
import type { Detection, Observation } from './detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS, type FrictionThresholds } from './thresholds';

/** The overlay's host element (components/overlay/create-overlay.tsx; not imported: React). */
export const OWN_UI_TAG = 'crm-coach-overlay';

export interface WatchFrictionOptions {
  window: Window;
  signal: AbortSignal;
  /** The coach's current screen id (null: no known screen; nothing is recorded there). */
  screen: () => string | null;
  /**
   * The id of the rule whose target `element` is (or is inside), or undefined. The only way an
   * element becomes an id; see `ruleTargetIdOf` for a ready one.
   */
  targetIdOf: (element: Element) => string | undefined;
  /** The pack's error banner/toast target (CompiledPack.errorTargets). */
  errorTargets?: readonly TargetStrategy[];
  /** Where to look for the banner and to watch for changes (the coach's RootRegistry roots). */
  roots?: () => Iterable<SearchRoot>;
  thresholds?: FrictionThresholds;
  /** Monotonic milliseconds (default performance.now). */
  now?: () => number;
  onDetection: (detection: Detection) => void;
}

export interface FrictionWatch {
  /** Tell the adapter the coach's screen changed (call after `screen()` returns the new one). */
  screenChanged(): void;
  /** Optional: DOM change batches the caller's own MutationObserver saw (responses, banners). */
  mutations(records: readonly MutationRecord[]): void;
}

type View = Window & typeof globalThis;

const CLICKABLE_ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'option', 'switch', 'checkbox', 'radio', 'treeitem']);
const FIELD_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton', 'listbox', 'slider']);
const BUTTON_INPUTS = new Set(['button', 'submit', 'reset', 'image', 'checkbox', 'radio']);
/** Inputs that are not form data (focusing them is not filling a form). */
const NOT_FORM_DATA = new Set(['button', 'submit', 'reset', 'image', 'hidden', 'search']);
/** How far up the event path a click looks for its control (svg > span > button). */
const MAX_DEPTH = 10;
/** `invalid` events count as a blocked submit only this soon after a click or Enter. */
const USER_SUBMIT_MS = 1000;
/** Outside the watch windows, the caller's mutation batches check the banner at most this often. */
const IDLE_BANNER_CHECK_MS = 500;

const isElement = (t: unknown): t is Element => typeof t === 'object' && t !== null && (t as Node).nodeType === 1;
const inputType = (el: Element) => (el.getAttribute('type') ?? 'text').toLowerCase();

/** 'clickable': activating it should do something. 'field': clicks there are editing, not rage or dead. */
function classify(el: Element): 'clickable' | 'field' | null {
  if ((el as HTMLElement).isContentEditable) return 'field';
  switch (el.localName) {
    case 'a':
    case 'area':
      return el.hasAttribute('href') ? 'clickable' : null;
    case 'button':
    case 'summary':
    case 'label':
      return 'clickable';
    case 'textarea':
    case 'select': // a native picker opens without any DOM change
      return 'field';
    case 'input':
      return BUTTON_INPUTS.has(inputType(el)) ? 'clickable' : 'field';
  }
  const role = el.getAttribute('role');
  if (role === null) return null;
  if (CLICKABLE_ROLES.has(role)) return 'clickable';
  if (FIELD_ROLES.has(role)) return 'field';
  return null;
}

/** Clicks whose effect happens outside this page (new tab, download, file dialog): never dead. */
const leavesPage = (el: Element) =>
  (el.localName === 'a' && (el.hasAttribute('download') || el.hasAttribute('target'))) || (el.localName === 'input' && inputType(el) === 'file');

function isFormField(el: Element): boolean {
  switch (el.localName) {
    case 'input':
      return !NOT_FORM_DATA.has(inputType(el));
    case 'textarea':
    case 'select':
      return true;
  }
  if ((el as HTMLElement).isContentEditable) return true;
  const role = el.getAttribute('role');
  return role !== null && role !== 'searchbox' && FIELD_ROLES.has(role);
}

const isRequired = (el: Element) => el.hasAttribute('required') || el.getAttribute('aria-required') === 'true';
const validityOf = (el: Element): ValidityState | undefined => (el as HTMLInputElement).validity ?? undefined;

/** 32-bit FNV-1a: "same page or not", without keeping the URL. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Is a node part of the coach's own overlay? */
function isOwn(node: Node | null): boolean {
  if (!node) return false;
  if (isElement(node) && node.localName === OWN_UI_TAG) return true;
  const root = node.getRootNode?.() as Partial<ShadowRoot> | undefined;
  return !!root?.host && root.host.localName === OWN_UI_TAG;
}

const isOwnRecord = (r: MutationRecord) =>
  isOwn(r.target) || (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].length > 0 && [...r.addedNodes, ...r.removedNodes].every(isOwn));

export function watchFriction(options: WatchFrictionOptions): FrictionWatch {
  const { window: win, signal, targetIdOf, onDetection } = options;
  const view = win as View;
  const doc = win.document;
  const now = options.now ?? (() => view.performance.now());
  const thresholds = options.thresholds ?? DEFAULT_FRICTION_THRESHOLDS;
  const roots = options.roots ?? (() => [doc]);
  const errorTargets = options.errorTargets?.length ? options.errorTargets : undefined;
  const engine = createFrictionEngine({ thresholds, now });

  const keys = new WeakMap<object, number>();
  let nextKey = 1;
  const keyOf = (o: object) => {
    let k = keys.get(o);
    if (k === undefined) keys.set(o, (k = nextKey++));
    return k;
  };
  const idOf = (el: Element | null | undefined): string | undefined => {
    if (!el) return undefined;
    try {
      return targetIdOf(el);
    } catch {
      return undefined;
    }
  };

  const emit = (detections: Detection[]) => {
    for (const d of detections) {
      try {
        onDetection(d);
      } catch (error) {
        console.debug('[crm-coach] friction signal handler failed', error);
      }
    }
  };
  const feed = (o: Observation) => {
    if (signal.aborted) return;
    emit(engine.observe(o));
    schedule();
  };
  const activity = () => {
    if (engine.awaitingResponse()) feed({ kind: 'activity' });
  };

  // ---- screens --------------------------------------------------------------------------
  let lastScreen: string | null | undefined;
  let lastPage: number | undefined;
  const syncScreen = () => {
    let screen: string | null = null;
    try {
      screen = options.screen();
    } catch {
      // treat as off-screen
    }
    const page = hashOf(win.location.href);
    if (screen === lastScreen && page === lastPage) return;
    const changedScreen = screen !== lastScreen;
    lastScreen = screen;
    lastPage = page;
    feed({ kind: 'screen', screen, page });
    if (changedScreen) requestBannerCheck(); // some screens open with a banner ("record deleted")
  };
  // After a URL change the coach finds the new screen on its next frame; look after it has.
  let syncFrame = false;
  const syncAfterFrame = () => {
    if (syncFrame) return;
    syncFrame = true;
    view.requestAnimationFrame(() => {
      syncFrame = false;
      if (!signal.aborted) syncScreen();
    });
  };
  const onNavigation = () => {
    activity();
    syncAfterFrame();
  };

  // ---- the error banner, and a short-lived observer for responses ---------------------
  let watchUntil = -Infinity;
  let lastBannerCheck = -Infinity;
  let bannerFrame = false;
  let bannerPresent = false;
  const checkBanner = (): boolean => {
    if (!errorTargets) return false;
    lastBannerCheck = now();
    try {
      bannerPresent = resolveTargetAll(errorTargets, roots()).length > 0;
    } catch {
      bannerPresent = false;
    }
    feed({ kind: 'error-banner', present: bannerPresent });
    return bannerPresent;
  };
  const requestBannerCheck = () => {
    if (!errorTargets || bannerFrame) return;
    bannerFrame = true;
    view.requestAnimationFrame(() => {
      bannerFrame = false;
      if (!signal.aborted) checkBanner();
    });
  };

  let observer: MutationObserver | null = null;
  let observing = false;
  const stopObserving = () => {
    if (!observing) return;
    observing = false;
    observer?.disconnect();
  };
  const onRecords = (records: readonly MutationRecord[]) => {
    if (records.every(isOwnRecord)) return;
    activity();
    if (now() < watchUntil) requestBannerCheck();
    if (!engine.awaitingResponse() && now() >= watchUntil) stopObserving();
  };
  const startObserving = () => {
    if (observing || signal.aborted) return;
    const MO = view.MutationObserver ?? MutationObserver;
    observer ??= new MO((records) => onRecords(records));
    observing = true;
    for (const root of roots()) {
      try {
        observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
      } catch {
        // a root that went away
      }
    }
  };
  const watchAfterAction = () => {
    if (!errorTargets) return;
    watchUntil = now() + thresholds.errorBanner.watchMs;
    startObserving();
    requestBannerCheck();
  };

  // ---- submit outcomes ----------------------------------------------------------------------
  const outcomes = new Map<number, { form: Element; due: number }>();
  const judge = (key: number) => {
    const pending = outcomes.get(key);
    if (!pending) return;
    outcomes.delete(key);
    let count = 0;
    try {
      if (pending.form.isConnected) count = pending.form.querySelectorAll('[aria-invalid="true"]').length;
    } catch {
      count = 0;
    }
    const banner = errorTargets ? checkBanner() : false;
    feed({ kind: 'field-errors', form: key, count, banner });
  };

  // ---- the one timer -----------------------------------------------------------------------
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  function schedule() {
    if (signal.aborted) return;
    let next = engine.nextDeadline() ?? Infinity;
    for (const o of outcomes.values()) next = Math.min(next, o.due);
    if (observing && Number.isFinite(watchUntil)) next = Math.min(next, Math.max(watchUntil, now()));
    if (next === timerAt) return;
    view.clearTimeout(timer);
    timerAt = next;
    if (next === Infinity) return;
    timer = view.setTimeout(onTimer, Math.max(0, next - now()));
  }
  function onTimer() {
    timerAt = Infinity;
    if (signal.aborted) return;
    const t = now();
    for (const [key, o] of [...outcomes]) if (o.due <= t) judge(key);
    emit(engine.tick());
    if (observing && !engine.awaitingResponse() && t >= watchUntil) stopObserving();
    schedule();
  }

  // ---- events --------------------------------------------------------------------------
  const listen = <K extends string>(target: EventTarget | undefined, type: K, handler: (event: Event) => void, passive = false) =>
    target?.addEventListener(
      type,
      (event) => {
        try {
          handler(event);
        } catch (error) {
          // Never into the page.
          console.debug('[crm-coach] friction adapter failed', error);
        }
      },
      { capture: true, passive, signal },
    );
  const pathOf = (event: Event): Element[] => event.composedPath().filter(isElement);

  let lastUserAction = -Infinity;
  let lastClickTarget: string | undefined;
  let labelControl: Element | null = null;

  listen(win, 'click', (event) => {
    if (!event.isTrusted) return; // el.click() from the page's scripts is not the user
    const path = pathOf(event);
    const inner = path[0];
    if (!inner || path.some(isOwn)) return;
    // A click on a <label> is followed by the browser's click on its control: one click.
    const forwarded = labelControl !== null && inner === labelControl;
    labelControl = null;
    if (forwarded) return;

    let control: Element | undefined;
    let kind: 'clickable' | 'field' | null = null;
    for (const el of path.slice(0, MAX_DEPTH)) {
      if (el.localName === 'body' || el.localName === 'html') break;
      kind = classify(el);
      if (kind) {
        control = el;
        break;
      }
    }
    if (control?.localName === 'label') labelControl = (control as HTMLLabelElement).control ?? null;
    const mouse = event as MouseEvent;
    let clickable = kind === 'clickable';
    if (!kind) clickable = view.getComputedStyle(inner).cursor === 'pointer';
    const el = control ?? inner;
    let x = mouse.clientX;
    let y = mouse.clientY;
    if (mouse.detail === 0) {
      // Keyboard activation (Enter/Space): no pointer, use the control's centre.
      const box = el.getBoundingClientRect();
      x = box.left + box.width / 2;
      y = box.top + box.height / 2;
    }
    const selecting = !clickable && mouse.detail >= 2 && view.getSelection?.()?.isCollapsed === false;
    const target = idOf(el);
    lastUserAction = now();
    lastClickTarget = target;
    // Watch for the response before the page's own click handlers run (they run after us).
    const waits = clickable && kind !== 'field' && !leavesPage(el);
    feed({ kind: 'click', element: keyOf(el), target, x, y, clickable: waits, editable: kind === 'field', selecting });
    if (engine.awaitingResponse()) startObserving();
    watchAfterAction();
    schedule();
  });

  listen(win, 'keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') lastUserAction = now();
  });

  listen(win, 'submit', (event) => {
    const form = pathOf(event)[0];
    if (!form || form.localName !== 'form' || isOwn(form)) return;
    const key = keyOf(form);
    judge(key); // a resubmit before the last outcome was judged: judge it now
    const submitter = (event as SubmitEvent).submitter;
    feed({ kind: 'submit', form: key, target: idOf(submitter) ?? idOf(form), blocked: false });
    outcomes.set(key, { form, due: now() + thresholds.validationLoop.outcomeDelayMs });
    lastUserAction = now();
    watchAfterAction();
    schedule();
  });

  // The browser's validation stopped a submit: `invalid` on each bad field, no submit event.
  const blockedForms = new Set<number>();
  listen(win, 'invalid', (event) => {
    if (now() - lastUserAction > USER_SUBMIT_MS) return; // checkValidity() from a script
    const field = pathOf(event)[0];
    if (!field || isOwn(field)) return;
    const form = (field as HTMLInputElement).form ?? field.closest('form');
    const key = form ? keyOf(form) : 0;
    if (blockedForms.has(key)) return;
    if (blockedForms.size === 0) view.setTimeout(() => blockedForms.clear(), 0);
    blockedForms.add(key);
    feed({ kind: 'submit', form: key, target: lastClickTarget ?? idOf(form), blocked: true });
  });

  // Fields: focus, typing, leaving. A focusout caused by the window losing focus (another tab
  // or app) is not the user leaving the field, so leaving is confirmed a task later.
  let focused: { el: Element; key: number; typed: boolean } | null = null;
  let windowBlurred = false;
  listen(win, 'blur', (event) => {
    if (event.target === win) windowBlurred = true;
  });
  listen(win, 'focusin', (event) => {
    activity();
    windowBlurred = false;
    const el = pathOf(event)[0];
    if (!el || isOwn(el) || !isFormField(el)) return;
    if (el.closest('[role="search"]') || el.getAttribute('aria-disabled') === 'true' || el.hasAttribute('disabled')) return;
    const key = keyOf(el);
    focused = { el, key, typed: false };
    const validity = validityOf(el);
    feed({
      kind: 'field-focus',
      field: key,
      target: idOf(el),
      required: isRequired(el),
      empty: validity?.valueMissing === true,
      invalid: el.getAttribute('aria-invalid') === 'true' || (validity !== undefined && isRequired(el) && !validity.valid),
    });
  });
  listen(win, 'focusout', (event) => {
    activity();
    const el = pathOf(event)[0];
    const f = focused;
    if (!f || el !== f.el) return;
    focused = null;
    const validity = validityOf(el);
    const nativeRequired = validity !== undefined && el.hasAttribute('required');
    const blur: Observation = {
      kind: 'field-blur',
      field: f.key,
      target: idOf(el),
      required: isRequired(el),
      empty: nativeRequired ? validity.valueMissing : !f.typed,
    };
    view.setTimeout(() => {
      if (!windowBlurred && !signal.aborted) feed(blur);
    }, 0);
  });
  listen(win, 'input', (event) => {
    activity();
    if (focused && composedContains(focused.el, pathOf(event)[0] ?? focused.el)) focused.typed = true;
  });
  listen(win, 'change', activity);
  listen(win, 'scroll', activity, true);

  listen(doc, 'visibilitychange', () => {
    const visible = doc.visibilityState === 'visible';
    feed({ kind: 'visibility', visible });
  });
  listen(win, 'pagehide', () => {
    feed({ kind: 'activity' });
    emit(engine.flush());
  });
  for (const type of ['popstate', 'hashchange']) listen(win, type, onNavigation);
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  // `navigate` also fires when a cross-document navigation starts (a slow link is not dead).
  for (const type of ['navigate', 'currententrychange']) listen(navigation, type, onNavigation);

  signal.addEventListener(
    'abort',
    () => {
      view.clearTimeout(timer);
      stopObserving();
      outcomes.clear();
    },
    { once: true },
  );

  syncScreen();
  if (errorTargets) requestBannerCheck();

  return {
    screenChanged: () => {
      if (!signal.aborted) syncScreen();
    },
    mutations(records) {
      if (signal.aborted || records.length === 0 || records.every(isOwnRecord)) return;
      activity();
      if (now() < watchUntil || now() - lastBannerCheck >= IDLE_BANNER_CHECK_MS) requestBannerCheck();
    },
  };
}

/**
 * A ready `targetIdOf`: the id of the innermost named target that is, or contains, the element.
 * `named` lists what may name an element on the current screen, e.g. the screen's rules
 * ({ id: rule.id, target: rule.target }, and a tip's action target under the tip's id) and the
 * running walkthrough's steps. Resolved at click time (targets re-render), like tip actions.
 */
export function ruleTargetIdOf(
  named: () => Iterable<{ id: string; target: readonly TargetStrategy[] }>,
  roots: () => Iterable<SearchRoot>,
): (element: Element) => string | undefined {
  return (element) => {
    // Depth of each ancestor (across shadow roots), to prefer the innermost named target.
    const depth = new Map<Node, number>();
    let d = 0;
    for (let node: Node | null = element; node && d < 64; d++) {
      depth.set(node, d);
      node = node.parentNode ?? ((node as ShadowRoot).host as Node | undefined) ?? null;
    }
    let best: { id: string; depth: number } | undefined;
    for (const { id, target } of named()) {
      if (target.length === 0) continue;
      for (const el of resolveTargetAll(target, roots())) {
        const at = depth.get(el);
        if (at !== undefined && (!best || at < best.depth)) best = { id, depth: at };
      }
    }
    return best?.id;
  };
}
