/**
 * One MutationObserver for the page and every open shadow root, coalesced to at most one pass per
 * animation frame. A pass sees only what changed: added subtrees are scanned for new shadow roots
 * and iframes; the caller decides what to re-check. The observer is connected only while the
 * caller says something is pending (`setActive`), so an idle page costs nothing.
 */
import { RootRegistry, type SearchRoot } from './root-registry';

export interface DomWatcherOptions {
  document: Document;
  signal: AbortSignal;
  /** Runs at most once per frame after DOM changes (or after `schedule()`). */
  onPass: () => void;
  requestFrame?: (cb: () => void) => unknown;
}

/** Attributes whose change can make existing content visible (see observe()). */
const SHOWING_ATTRIBUTES = ['open', 'hidden'];

export class DomWatcher {
  readonly registry: RootRegistry;
  private readonly observer: MutationObserver;
  private readonly added = new Set<Node>();
  /** Elements whose subtree changed since the last pass; 'all' after a (re)scan. */
  private changed: Set<Element> | 'all' = 'all';
  private frameRequested = false;
  private active = false;
  private readonly requestFrame: (cb: () => void) => unknown;

  constructor(private readonly options: DomWatcherOptions) {
    const view = options.document.defaultView ?? globalThis;
    this.requestFrame = options.requestFrame ?? ((cb) => view.requestAnimationFrame(cb));
    this.observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'characterData') {
          if (r.target.parentElement) this.markChanged(r.target.parentElement);
          continue;
        }
        if (r.type === 'attributes') {
          // A <dialog>/<details> opened, or `hidden` lifted: its content can be found now.
          this.markChanged(r.target as Element);
          continue;
        }
        for (const n of r.addedNodes) {
          if (n.nodeType === Node.ELEMENT_NODE) {
            this.added.add(n);
            this.markChanged(n as Element);
          } else if (n.nodeType === Node.TEXT_NODE && r.target.nodeType === Node.ELEMENT_NODE) {
            this.markChanged(r.target as Element);
          }
        }
      }
      this.schedule();
    });
    this.registry = new RootRegistry(options.document, (root) => this.observe(root), options.signal);
    options.signal.addEventListener(
      'abort',
      () => {
        this.observer.disconnect();
        clearTimeout(this.upgradeTimer);
      },
      { once: true },
    );
  }

  private observe(root: SearchRoot): void {
    if (!this.active || this.options.signal.aborted) return;
    // childList + characterData: elements appearing/disappearing and text changing (heading probes).
    // Of the attributes only those that show content already in the page: `open` (a <dialog>
    // opened with showModal(), <details>) and `hidden`. Not class or style: on a storming list
    // view they are most of the records and rarely matter.
    this.observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: SHOWING_ATTRIBUTES });
  }

  private markChanged(el: Element): void {
    if (this.changed !== 'all') this.changed.add(el);
  }

  /**
   * What changed since the last call: the outermost changed elements still on the page, or
   * 'all' when the watcher (re)started and saw nothing in between.
   */
  takeChanged(): Element[] | 'all' {
    const changed = this.changed;
    this.changed = new Set();
    if (changed === 'all') return 'all';
    const out: Element[] = [];
    for (const el of changed) {
      if (!el.isConnected) continue;
      // Skip elements inside another changed element: its subtree is searched anyway.
      let inner = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (changed.has(p)) {
          inner = true;
          break;
        }
      }
      if (!inner) out.push(el);
    }
    return out;
  }

  /** Connect while something is pending; disconnect when nothing is. */
  setActive(active: boolean): void {
    if (active === this.active || this.options.signal.aborted) return;
    this.active = active;
    if (active) {
      // Anything may have changed while we were not looking: rescan once, then observe all roots.
      this.changed = 'all';
      this.upgradeDelay = 50;
      this.registry.scan(this.options.document);
      for (const root of this.registry.roots) this.observe(root);
    } else {
      this.observer.disconnect();
      this.added.clear();
    }
  }

  get isActive(): boolean {
    return this.active;
  }

  private upgradeTimer: ReturnType<typeof setTimeout> | undefined;
  private upgradeDelay = 50;

  /**
   * Custom elements found before their definition ran get a shadow root later, with no mutation
   * we could see (the content script's world has no `customElements.whenDefined` for the page's
   * elements). While such elements exist, look again a few times, backing off (50 ms → 3 s); a
   * bounded wait for late elements, never a polling loop.
   */
  private recheckUpgrades(): void {
    clearTimeout(this.upgradeTimer);
    if (!this.active || !this.registry.hasPendingUpgrades() || this.upgradeDelay > 3_000) return;
    this.upgradeTimer = setTimeout(() => this.schedule(), this.upgradeDelay);
    this.upgradeDelay *= 2;
  }

  /** Ask for a pass on the next frame (coalesced with mutation-triggered ones). */
  schedule(): void {
    if (this.frameRequested || this.options.signal.aborted) return;
    this.frameRequested = true;
    this.requestFrame(() => {
      this.frameRequested = false;
      if (this.options.signal.aborted) return;
      const addedBefore = this.registry.added;
      for (const node of this.added) if (node.isConnected) this.registry.scan(node);
      this.added.clear();
      const upgraded = this.registry.refresh();
      // A new shadow root or frame document: its content was never searched, and searches of
      // changed subtrees do not cross into it. Search everything once.
      if (upgraded > 0 || this.registry.added > addedBefore) this.changed = 'all';
      this.recheckUpgrades();
      try {
        this.options.onPass();
      } catch (error) {
        // Never into the page: a bug in a pass must not break the CRM.
        console.debug('[crm-coach] pass failed', error);
      }
    });
  }
}
