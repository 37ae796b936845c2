/**
 * The set of DOM trees we search: the document, every open shadow root (Salesforce Lightning
 * renders most fields inside them) and the documents of same-origin iframes (Dynamics 365).
 *
 * Kept incrementally: one full scan at start, then only the subtrees that mutations added
 * (dom-watcher.ts feeds them in), because walking a 20k-node page for every lookup costs
 * milliseconds we do not have.
 */
import { isOwnUiHost } from './own-ui';

export type SearchRoot = Document | ShadowRoot;

export class RootRegistry {
  readonly roots = new Set<SearchRoot>();
  /** Custom elements seen before they had a shadow root (not yet upgraded); re-checked per pass. */
  private readonly unupgraded = new Set<Element>();
  /** Frames we listen to: a frame that (re)loads gets a new document, which we must search too. */
  private readonly frames = new WeakSet<Element>();

  constructor(
    readonly document: Document,
    /** Called for each root found after the first, so the watcher can observe it too. */
    private readonly onRoot: (root: SearchRoot) => void = () => {},
    private readonly signal?: AbortSignal,
  ) {
    this.add(document);
  }

  /** How many roots were ever added: lets a caller see that new ones appeared. */
  added = 0;

  private add(root: SearchRoot): void {
    if (this.roots.has(root)) return;
    this.roots.add(root);
    this.added += 1;
    this.onRoot(root);
    this.scan(root);
  }

  /** Look for shadow roots and iframes in a subtree (the node itself included). */
  scan(node: Node): void {
    const doc = node.ownerDocument ?? (node as Document);
    const walker = doc.createTreeWalker(node, NodeFilter.SHOW_ELEMENT);
    for (let el = (node.nodeType === Node.ELEMENT_NODE ? node : walker.nextNode()) as Element | null; el; el = walker.nextNode() as Element | null) {
      this.inspect(el);
    }
  }

  private inspect(el: Element): void {
    // Our own overlay and picker: never a place to look for CRM targets, nor to watch.
    if (isOwnUiHost(el)) return;
    if (el.shadowRoot) this.add(el.shadowRoot);
    else if (el.localName.includes('-')) this.unupgraded.add(el);
    if (el.localName === 'iframe' || el.localName === 'frame') {
      const frame = el as HTMLIFrameElement;
      const doc = sameOriginDocument(frame);
      if (doc) this.add(doc);
      if (!this.frames.has(frame)) {
        this.frames.add(frame);
        frame.addEventListener(
          'load',
          () => {
            const loaded = sameOriginDocument(frame);
            if (loaded) this.add(loaded);
          },
          { signal: this.signal },
        );
      }
    }
  }

  /** Custom elements still without a shadow root (they may get one when upgraded). */
  hasPendingUpgrades(): boolean {
    for (const el of this.unupgraded) if (el.isConnected && !el.matches(':defined')) return true;
    return false;
  }

  /**
   * Re-check custom elements that had no shadow root yet; drop roots that left the page.
   * Returns how many new roots were found (their content was never searched).
   */
  refresh(): number {
    let found = 0;
    for (const el of this.unupgraded) {
      if (!el.isConnected) this.unupgraded.delete(el);
      else if (el.shadowRoot) {
        this.unupgraded.delete(el);
        this.add(el.shadowRoot);
        found += 1;
      } else if (el.matches(':defined')) {
        // Defined and still without an (open) shadow root: it will not get one from an upgrade.
        this.unupgraded.delete(el);
      }
    }
    for (const root of this.roots) {
      if (root === this.document) continue;
      const host = root instanceof ShadowRoot ? root.host : (root as Document).defaultView?.frameElement;
      if (!host || !host.isConnected) this.roots.delete(root);
    }
    return found;
  }
}

export function sameOriginDocument(frame: HTMLIFrameElement): Document | null {
  try {
    const doc = frame.contentDocument;
    return doc && doc.documentElement ? doc : null;
  } catch {
    return null; // cross-origin
  }
}
