/**
 * The browser's top layer. A CRM that opens a native modal `<dialog>` (showModal), a popover or a
 * fullscreen element puts it above every z-index there is, and a modal dialog makes the rest of
 * the page inert. So:
 *
 *   - the overlay's layer is a manual popover itself (in the top layer), shown again (hide + show
 *     moves it to the top) whenever something newer enters the top layer;
 *   - while a modal dialog is open, the host element is parked inside that dialog: a popover above
 *     a modal dialog is still inert (no clicks, no focus) unless it is a flat-tree descendant of
 *     the dialog (whatwg/html#9936, #10811; so in Chromium 156). The shadow root keeps the CRM's
 *     styles out wherever the host sits, and the host goes back to <html> when the dialog closes.
 *
 * Found without polling, all tied to the overlay's AbortSignal: a MutationObserver on `open`
 * attributes (light-DOM dialogs), `beforetoggle` (popovers; the raise runs in a microtask, when the
 * new one is in), `fullscreenchange`, `focusin` (showModal moves focus into the dialog, which also
 * reveals dialogs inside shadow roots, and focus coming back shows it closed), and the targets the
 * overlay anchors to (`noteTarget`). While parked, a childList observer on the dialog's root brings
 * the host back if the CRM removes the dialog with us inside.
 *
 * Without the Popover API (older Firefox) nothing of this runs: the layer keeps its top z-index.
 */

export interface TopLayer {
  /** What covers the page now (the topmost modal dialog, or the fullscreen element), or null. */
  blocker(): Element | null;
  /** A target is about to be anchored: a modal dialog around it is taken as open now. */
  noteTarget(target: Element): void;
  /** Runs `listener` after the layer moved or was raised (positions and visibility may change). */
  subscribe(listener: () => void): () => void;
}

const NONE: TopLayer = { blocker: () => null, noteTarget: () => {}, subscribe: () => () => {} };

const isModal = (el: Element) => {
  try {
    return el.localName === 'dialog' && el.matches(':modal');
  } catch {
    return false; // a browser without :modal
  }
};

/** The parent in the flat tree sense we need: through shadow roots to their hosts. */
const composedParent = (node: Node): Node | null => node.parentNode ?? (node as ShadowRoot).host ?? null;

/** Whether `node` is `ancestor` or inside it, across shadow roots. */
export function composedContains(ancestor: Node, node: Node | null): boolean {
  for (let n = node; n; n = composedParent(n)) if (n === ancestor) return true;
  return false;
}

/** The modal dialog around `node` (across shadow roots), or null. */
function modalAround(node: Node | null): Element | null {
  for (let n = node; n; n = composedParent(n)) if (n instanceof Element && isModal(n)) return n;
  return null;
}

export function keepOnTop(host: HTMLElement, layer: HTMLElement, signal: AbortSignal): TopLayer {
  if (typeof layer.showPopover !== 'function' || signal.aborted) return NONE;
  const doc = host.ownerDocument;
  const home = doc.documentElement;
  const listeners = new Set<() => void>();
  /** Modal dialogs in the order we saw them open: the last one still modal is the topmost. */
  let modals: Element[] = [];

  const topModal = () => {
    modals = modals.filter((m) => m.isConnected && isModal(m));
    return modals.at(-1) ?? null;
  };
  /** Remembers a dialog that is modal now; true when it is new (it entered the top layer). */
  const see = (el: Element | null): boolean => {
    if (!el || modals.includes(el) || !isModal(el)) return false;
    modals.push(el);
    return true;
  };

  const shown = () => {
    try {
      return layer.matches(':popover-open');
    } catch {
      return false;
    }
  };

  let parkedObserver: MutationObserver | null = null;
  const watchParking = (parent: Element) => {
    parkedObserver?.disconnect();
    parkedObserver = null;
    if (parent === home) return;
    parkedObserver = new MutationObserver(() => {
      if (host.parentNode !== parent || !parent.isConnected) schedule(false);
    });
    parkedObserver.observe(parent.getRootNode(), { childList: true, subtree: true });
  };

  /** Puts the host where it must be and the layer on top; `raise` forces hide + show. */
  function sync(raise: boolean): void {
    if (signal.aborted) return;
    const parent = topModal() ?? home;
    const move = host.parentNode !== parent;
    if (!move && !raise && shown()) return;
    // Moving or hiding the layer drops focus from inside it: give it back (a step being read).
    const focused = host.shadowRoot?.activeElement as HTMLElement | null | undefined;
    if (move) {
      parent.append(host);
      watchParking(parent);
    }
    try {
      if (shown()) layer.hidePopover();
      layer.showPopover();
    } catch (error) {
      console.debug('[crm-coach] could not raise the overlay layer', error);
    }
    if (focused && focused.isConnected && host.shadowRoot?.activeElement !== focused) focused.focus({ preventScroll: true });
    for (const listener of listeners) listener();
  }

  let queued = false;
  let queuedRaise = false;
  function schedule(raise: boolean): void {
    queuedRaise ||= raise;
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      const r = queuedRaise;
      queuedRaise = false;
      sync(r);
    });
  }

  const observer = new MutationObserver((records) => {
    let raise = false;
    let changed = false;
    for (const r of records) {
      if (!(r.target instanceof Element) || r.target.localName !== 'dialog') continue;
      changed = true;
      if (see(r.target)) raise = true;
    }
    if (changed) schedule(raise);
  });
  observer.observe(doc, { subtree: true, attributes: true, attributeFilter: ['open'] });

  const options = { capture: true, passive: true, signal } as const;
  doc.addEventListener(
    'beforetoggle',
    (e) => {
      // Our own layer's toggles stay inside our shadow root and never get here.
      if ((e as ToggleEvent).newState === 'open') schedule(true);
    },
    options,
  );
  doc.addEventListener('fullscreenchange', () => schedule(true), options);
  doc.addEventListener(
    'focusin',
    (e) => {
      if (composedContains(host, e.composedPath()[0] as Node)) return;
      if (see(modalAround(e.composedPath()[0] as Node))) schedule(true);
      else if (modals.length > 0) schedule(false);
    },
    options,
  );

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      parkedObserver?.disconnect();
      listeners.clear();
      try {
        if (shown()) layer.hidePopover();
      } catch {
        // already gone with its host
      }
    },
    { once: true },
  );

  // Dialogs already open when the overlay arrives (document order: the best guess at stacking).
  for (const dialog of Array.from(doc.querySelectorAll('dialog[open]'))) see(dialog);
  sync(true);

  return {
    blocker: () => topModal() ?? doc.fullscreenElement ?? null,
    noteTarget(target) {
      if (see(modalAround(target))) sync(true);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
