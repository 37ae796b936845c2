/**
 * The thin DOM layer of the friction signals: turns real events into the detectors' abstract
 * observations (detectors/detection.ts) and hands detections to the caller.
 *
 * What it reads from the page, and nothing else:
 *  - the event path (composedPath(), so shadow DOM works), tag names, and which element has
 *    focus (document/shadow-root activeElement, document.hasFocus(), visibilityState);
 *  - the structural attributes role, type, required / aria-required, aria-invalid, disabled /
 *    aria-disabled, novalidate / formnovalidate, href and download/target *presence*, plus the
 *    structural properties isContentEditable, a control's `form` and a label's `control`;
 *  - booleans the browser computes about a field (validity.valueMissing, validity.valid,
 *    :invalid) — "a required value is missing", never the value;
 *  - whether a multi-click left a text selection (Selection.isCollapsed, not the text);
 *  - for a click: its coordinates, the computed `cursor` of the clicked element when nothing
 *    structural says "clickable", and the clicked control's bounding box for keyboard clicks
 *    (which have no coordinates) — the only layout read, once per click;
 *  - whether the pack's error-banner target is on the page (the coach's target resolver, with
 *    structural strategies only: css, role, within);
 *  - how many fields of a submitted form carry aria-invalid="true";
 *  - location.href, hashed in memory to an opaque number (same record or not); never kept, never
 *    sent.
 * Never text, values, labels, names or other attributes. Elements become opaque per-page
 * counters; an element becomes a rule id only through the caller's `targetIdOf`.
 *
 * Shadow DOM: `submit`, `invalid` and `change` are not composed, and focus moves between two
 * elements under one shadow host never reach `window`. So focus is re-read at checkpoints (see
 * focusCheck) and a submit button of a form inside a shadow root stands in for its submit.
 *
 * Cost: capture-phase listeners on `window` only (no per-element or per-root listeners), no
 * polling. A MutationObserver is connected only while a click waits for a response
 * (≤ deadClick.windowMs) or, when the pack has an error target, for errorBanner.watchMs after a
 * click or submit; the banner is then checked at most every 250 ms. Keystrokes cost a focus
 * re-read, scrolls a flag check, unless a click is waiting for a response. One timer, for the
 * earliest deadline; nothing runs on an idle page. About 0.1 ms per click without `targetIdOf`
 * (measured in Chromium on a 2,000-row table).
 *
 * Everything is tied to `signal`: listeners, the observer and the timer go when it aborts.
 * Events inside the coach's own overlay are ignored (they are not the CRM's friction).
 */
import { isOwnUiHost } from '../dom/own-ui';
import type { SearchRoot } from '../dom/root-registry';
import type { TargetStrategy } from '../rules/compiled';
import { composedContains, resolveTargetAll } from '../targets/resolve-target';
import { createFrictionEngine } from './detectors/engine';
import type { Detection, Observation } from './detectors/detection';
import { DEFAULT_FRICTION_THRESHOLDS, type FrictionThresholds } from './thresholds';

export interface WatchFrictionOptions {
  window: Window;
  signal: AbortSignal;
  /** The coach's current screen id (null: no known screen; nothing is recorded there). */
  screen: () => string | null;
  /**
   * The id of the rule whose target `element` is (or is inside), or undefined. The only way an
   * element becomes an id. The caller owns it (it may use the coach's target resolver, which
   * matches accessible names; this module never reads text). Called once per click, focus and
   * submit; exceptions are swallowed.
   */
  targetIdOf: (element: Element) => string | undefined;
  /** The pack's error banner/toast target (CompiledPack.errorTargets). */
  errorTargets?: readonly TargetStrategy[];
  /**
   * Optional: controls that save without a form submit (Lightning's Save is a plain button).
   * A click on one counts as a submit; its outcome is judged over the whole page. Native submit
   * buttons of a form are not needed here (their submit event counts already).
   */
  submitTargets?: readonly TargetStrategy[];
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
/** The banner is checked at most this often while the page changes (plus one trailing check). */
const BANNER_CHECK_MS = 250;
/** Outside the watch windows, the caller's mutation batches check the banner at most this often. */
const IDLE_BANNER_CHECK_MS = 500;

/**
 * Only strategies that match structure (css, role, within): name/label/text strategies compare
 * page text, which this module never reads. Every bundled pack's error target is structural.
 */
function structural(target: readonly TargetStrategy[] | undefined): TargetStrategy[] | undefined {
  const kept = (target ?? []).filter((s) => s.name === undefined && s.label === undefined && s.text === undefined);
  return kept.length > 0 ? kept : undefined;
}

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
  if (isElement(node) && isOwnUiHost(node)) return true;
  const root = node.getRootNode?.();
  // nodeType 11 with a host: a shadow root (an <a>'s `host` is a URL string, not an element).
  return root?.nodeType === 11 && isElement((root as ShadowRoot).host) && isOwnUiHost((root as ShadowRoot).host);
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
  const errorTargets = structural(options.errorTargets);
  const submitTargets = structural(options.submitTargets);
  const engine = createFrictionEngine({ thresholds, now });
  /** Every callback the page's event loop runs: a bug here must never surface as a page error. */
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        console.debug('[crm-coach] friction adapter failed', error);
      }
    };

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
  // Navigation is a response (a click that navigates is not dead). The screen itself is taken
  // from the coach, which calls screenChanged() once it has matched the new URL: syncing here
  // instead raced the coach (the Navigation API's `navigate` fires before the URL changes) and
  // recorded the old screen under the new URL, which broke back-and-forth.
  const onNavigation = () => {
    activity();
  };

  // ---- the error banner, and a short-lived observer for responses ---------------------
  let watchUntil = -Infinity;
  let lastBannerCheck = -Infinity;
  /** A throttled check still owed (the page changed since the last one). */
  let bannerDue = Infinity;
  let bannerFrame = false;
  let bannerPresent = false;
  const checkBanner = (): boolean => {
    if (!errorTargets) return false;
    lastBannerCheck = now();
    bannerDue = Infinity;
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
    view.requestAnimationFrame(
      guard(() => {
        bannerFrame = false;
        if (!signal.aborted) checkBanner();
      }),
    );
  };

  let observer: MutationObserver | null = null;
  let observing = false;
  const stopObserving = () => {
    if (!observing) return;
    observing = false;
    observer?.disconnect();
  };
  /** The page changed: check the banner now, or owe a check when the last one was too recent. */
  const bannerMayHaveChanged = () => {
    if (!errorTargets) return;
    const t = now();
    if (t - lastBannerCheck >= BANNER_CHECK_MS) requestBannerCheck();
    else bannerDue = Math.min(bannerDue, lastBannerCheck + BANNER_CHECK_MS);
  };
  const onRecords = (records: readonly MutationRecord[]) => {
    if (records.every(isOwnRecord)) return;
    activity();
    if (now() < watchUntil) bannerMayHaveChanged();
    schedule(); // stops observing when nothing needs it any more
  };
  const startObserving = () => {
    if (observing || signal.aborted) return;
    const MO = view.MutationObserver ?? MutationObserver;
    observer ??= new MO(guard((records: MutationRecord[]) => onRecords(records)));
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
  /** `form` null: a save button outside any form; its outcome is judged over every root. */
  const outcomes = new Map<number, { form: Element | null; due: number }>();
  const INVALID = '[aria-invalid="true"]';
  const judge = (key: number) => {
    const pending = outcomes.get(key);
    if (!pending) return;
    outcomes.delete(key);
    let count = 0;
    try {
      if (pending.form === null) for (const root of roots()) count += root.querySelectorAll(INVALID).length;
      else if (pending.form.isConnected) count = pending.form.querySelectorAll(INVALID).length;
    } catch {
      count = 0;
    }
    const banner = errorTargets ? checkBanner() : false;
    feed({ kind: 'field-errors', form: key, count, banner });
    focusCheck();
  };

  // ---- the one timer -----------------------------------------------------------------------
  let timer: number | undefined;
  let timerAt = Infinity;
  function schedule() {
    if (signal.aborted) return;
    const t = now();
    if (observing && !engine.awaitingResponse() && t >= watchUntil) stopObserving();
    let next = engine.nextDeadline() ?? Infinity;
    for (const o of outcomes.values()) next = Math.min(next, o.due);
    if (observing && watchUntil > t) next = Math.min(next, watchUntil);
    next = Math.min(next, bannerDue);
    if (next === timerAt) return;
    view.clearTimeout(timer);
    timerAt = next;
    if (next === Infinity) return;
    timer = view.setTimeout(guard(onTimer), Math.max(0, next - t));
  }
  function onTimer() {
    timerAt = Infinity;
    if (signal.aborted) return;
    const t = now();
    for (const [key, o] of [...outcomes]) if (o.due <= t) judge(key);
    if (bannerDue <= t) {
      bannerDue = Infinity;
      requestBannerCheck();
    }
    emit(engine.tick());
    schedule();
  }

  // ---- events --------------------------------------------------------------------------
  const listen = (target: EventTarget | undefined, type: string, handler: (event: Event) => void, passive = false) =>
    target?.addEventListener(type, guard(handler), { capture: true, passive, signal });
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
    focusCheck(); // mousedown moved focus, maybe inside one shadow tree (no focusin reached us)
    if (submitTargets) saveClick(el, inner, target);
    shadowFormSubmit(el, target);
    if (engine.awaitingResponse()) startObserving();
    watchAfterAction();
    schedule();
  });

  /** A click on one of `submitTargets` (not a form's own submit button) is a submit. */
  const saveClick = (el: Element, inner: Element, target: string | undefined) => {
    const button = el as HTMLButtonElement;
    if ((el.localName === 'button' || el.localName === 'input') && button.type === 'submit' && button.form) return;
    const hit = resolveTargetAll(submitTargets!, roots()).find((t) => composedContains(t, inner));
    if (!hit) return;
    const key = keyOf(hit);
    judge(key);
    feed({ kind: 'submit', form: key, target, blocked: false });
    outcomes.set(key, { form: null, due: now() + thresholds.validationLoop.outcomeDelayMs });
  };

  /**
   * `submit` and `invalid` are not composed: for a form inside a shadow root they never reach
   * `window`. Its submit button's click stands in for them: a task later (the browser validates
   * during the click's default action), invalid fields mean the browser blocked the submit.
   */
  const shadowFormSubmit = (el: Element, target: string | undefined) => {
    const button = el as HTMLButtonElement;
    if (el.localName !== 'button' && el.localName !== 'input') return;
    const type = (el as HTMLInputElement).type;
    if (type !== 'submit' && type !== 'image') return;
    const form = button.form;
    if (!form || form.getRootNode().nodeType !== 11 || button.disabled) return;
    view.setTimeout(guard(() => {
      if (signal.aborted) return;
      const key = keyOf(form);
      judge(key);
      const blocked = !form.noValidate && !button.formNoValidate && form.querySelector('input:invalid, select:invalid, textarea:invalid') !== null;
      feed({ kind: 'submit', form: key, target: target ?? idOf(form), blocked });
      if (!blocked) outcomes.set(key, { form, due: now() + thresholds.validationLoop.outcomeDelayMs });
      focusCheck(); // a blocked submit focuses the first invalid field
      schedule();
    }), 0);
  };

  listen(win, 'keydown', (event) => {
    if ((event as KeyboardEvent).key !== 'Enter') return;
    lastUserAction = now();
    lastClickTarget = undefined;
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
    focusCheckSoon();
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
    focusCheckSoon(); // the browser focuses the first invalid field
  });

  // Fields: focus, typing, leaving. Focus events do not reach `window` when focus moves between
  // two elements under the same shadow host (the event path stops at the host), so the focused
  // field is re-read (the deep activeElement) at checkpoints instead: focusin/focusout that do
  // arrive, clicks, key-ups, input, and right after submits. While another window or tab has
  // focus nothing changes: switching away is not leaving the field.
  let focused: { el: Element; key: number; typed: boolean } | null = null;
  const deepActive = (): Element | null => {
    let a = doc.activeElement;
    for (let i = 0; a?.shadowRoot?.activeElement && i < 32; i++) a = a.shadowRoot.activeElement;
    return a;
  };
  const trackable = (el: Element) =>
    isFormField(el) && !isOwn(el) && !el.closest('[role="search"]') && el.getAttribute('aria-disabled') !== 'true' && !el.hasAttribute('disabled');
  function focusCheck() {
    if (signal.aborted || !doc.hasFocus()) return;
    const a = deepActive();
    if (a === (focused?.el ?? null)) return;
    const left = focused;
    focused = null;
    if (left) {
      const validity = validityOf(left.el);
      const nativeRequired = validity !== undefined && left.el.hasAttribute('required');
      feed({
        kind: 'field-blur',
        field: left.key,
        target: idOf(left.el),
        required: isRequired(left.el),
        empty: nativeRequired ? validity.valueMissing : !left.typed,
      });
    }
    if (!a || !trackable(a)) return;
    focused = { el: a, key: keyOf(a), typed: false };
    const validity = validityOf(a);
    feed({
      kind: 'field-focus',
      field: focused.key,
      target: idOf(a),
      required: isRequired(a),
      empty: validity?.valueMissing === true,
      invalid: a.getAttribute('aria-invalid') === 'true' || (validity !== undefined && isRequired(a) && !validity.valid),
    });
  }
  let focusTask = false;
  /** During focusout the new element is not focused yet: look a task later. */
  function focusCheckSoon() {
    if (focusTask) return;
    focusTask = true;
    view.setTimeout(
      guard(() => {
        focusTask = false;
        focusCheck();
      }),
      0,
    );
  }
  listen(win, 'focusin', () => {
    activity();
    focusCheck();
  });
  listen(win, 'focusout', () => {
    activity();
    focusCheckSoon();
  });
  listen(win, 'keyup', focusCheck);
  listen(win, 'input', (event) => {
    activity();
    focusCheck();
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
    screenChanged: guard(() => {
      if (!signal.aborted) syncScreen();
    }),
    mutations: guard((records: readonly MutationRecord[]) => {
      if (signal.aborted || records.length === 0 || records.every(isOwnRecord)) return;
      activity();
      if (now() < watchUntil) bannerMayHaveChanged();
      else if (now() - lastBannerCheck >= IDLE_BANNER_CHECK_MS) requestBannerCheck();
      schedule();
    }),
  };
}
