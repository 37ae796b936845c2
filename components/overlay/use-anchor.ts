/**
 * Positioning in one place (floating-ui): flip -> shift -> arrow last, hidden with its target,
 * `autoUpdate` cleaned up when the floating element goes. Targets in same-origin iframes are
 * measured as rectangles of the top page.
 *
 * Hidden with its target means: scrolled out of its scroll container or the viewport (hide()),
 * hidden by the CRM (checkVisibility), or covered by the top layer (a modal dialog or fullscreen
 * element the target is not inside: it is inert and drawn below, see top-layer.ts).
 * In a right-to-left context (the target's own `direction`) `left` and `right` mirror: rules are
 * written for the CRM's layout, and an RTL CRM mirrors its layout.
 */
import { createContext, useContext, useLayoutEffect, type RefObject } from 'react';
import { arrow, autoUpdate, computePosition, flip, hide, offset, shift, type Placement, type VirtualElement } from '@floating-ui/dom';
import { composedContains, type TopLayer } from './top-layer';

const SIDE: Record<string, string> = { top: 'bottom', right: 'left', bottom: 'top', left: 'right' };

/** The top layer the overlay lives in (null outside an overlay). */
export const LayerContext = createContext<TopLayer | null>(null);

export type RulePlacement = 'top' | 'bottom' | 'left' | 'right' | 'auto';

/** The floating-ui placement for a rule's placement: `auto` is below; left and right mirror in RTL. */
export function placementFor(placement: RulePlacement | Placement, direction: 'ltr' | 'rtl'): Placement {
  if (placement === 'auto') return 'bottom';
  if (direction === 'ltr') return placement;
  const [side, align] = placement.split('-') as [string, string | undefined];
  const mirrored = side === 'left' ? 'right' : side === 'right' ? 'left' : side;
  // An alignment on a top/bottom side is along the inline axis: it mirrors too.
  const alignment = (side === 'top' || side === 'bottom') && align ? (align === 'start' ? 'end' : 'start') : align;
  return (alignment ? `${mirrored}-${alignment}` : mirrored) as Placement;
}

const directionOf = (el: Element): 'ltr' | 'rtl' => (el.ownerDocument.defaultView?.getComputedStyle(el).direction === 'rtl' ? 'rtl' : 'ltr');

/** The element of the top page that holds `element` (itself, or the iframe it is in). */
function inTopDocument(element: Element): Element {
  let el = element;
  while (el.ownerDocument.defaultView?.frameElement) el = el.ownerDocument.defaultView.frameElement;
  return el;
}

const isShown = (el: Element) =>
  typeof (el as HTMLElement).checkVisibility === 'function' ? (el as HTMLElement).checkVisibility({ visibilityProperty: true }) : true;

/** A target inside a same-origin iframe (Dynamics 365), as a rectangle in the top page. */
function inTopPage(element: Element): VirtualElement {
  return {
    contextElement: element,
    getBoundingClientRect() {
      const r = element.getBoundingClientRect();
      let x = r.x;
      let y = r.y;
      for (let win: Window | null = element.ownerDocument.defaultView; win?.frameElement; win = win.parent) {
        const frame = win.frameElement.getBoundingClientRect();
        x += frame.x + win.frameElement.clientLeft;
        y += frame.y + win.frameElement.clientTop;
      }
      return new DOMRect(x, y, r.width, r.height);
    },
  };
}

export function useAnchor(
  target: Element | null,
  floating: RefObject<HTMLElement | null>,
  arrowRef: RefObject<HTMLElement | null> | null,
  placement: RulePlacement | Placement,
  gap = 10,
): void {
  const layer = useContext(LayerContext);
  useLayoutEffect(() => {
    const el = floating.current;
    if (!el || !target) return;
    const arrowEl = arrowRef?.current ?? null;
    const inFrame = target.ownerDocument !== el.ownerDocument;
    const reference = inFrame ? inTopPage(target) : target;
    const onTopPage = inTopDocument(target);
    // Park the layer in the CRM's modal dialog before the first measurement (and before a step
    // takes focus): a target inside a dialog in a shadow root is found this way.
    layer?.noteTarget(onTopPage);
    const wanted = placementFor(placement, directionOf(target));
    const update = () => {
      void computePosition(reference, el, {
        strategy: 'fixed',
        placement: wanted,
        // hide() measures clipping in the target's own document; for a target in a frame the
        // rectangle is the top page's, so only the visibility check below applies there.
        // flip and shift keep the card in the viewport only (boundary []): it is fixed in the
        // top layer, so the CRM's containers around our host (a dialog it is parked in, with
        // overflow and a transform) never clip it, even where floating-ui would think so.
        middleware: [offset(gap), flip({ boundary: [] }), shift({ padding: 8, boundary: [] }), ...(arrowEl ? [arrow({ element: arrowEl })] : []), ...(inFrame ? [] : [hide()])],
      }).then(({ x, y, placement: side, middlewareData }) => {
        // Hidden with its target: scrolled out of its container, hidden by the CRM, or under
        // a modal dialog / fullscreen element it is not part of.
        const blocker = layer?.blocker();
        const covered = blocker != null && !composedContains(blocker, onTopPage);
        const targetGone = middlewareData.hide?.referenceHidden || !isShown(target) || covered;
        Object.assign(el.style, { left: `${x}px`, top: `${y}px`, visibility: targetGone ? 'hidden' : 'visible' });
        el.dataset.placement = side;
        if (!arrowEl) return;
        const a = middlewareData.arrow;
        Object.assign(arrowEl.style, {
          left: a?.x != null ? `${a.x}px` : '',
          top: a?.y != null ? `${a.y}px` : '',
          right: '',
          bottom: '',
          [SIDE[side.split('-')[0]!]!]: '-5px',
        });
      });
    };
    // autoUpdate follows scroll, resize and layout shifts. For a target in a frame it sees the
    // frame's scrolling; the top page's scrolling is added here.
    const stop = autoUpdate(reference, el, update);
    // The top layer changed (a dialog opened or closed, the layer moved): visibility may too.
    const unsubscribe = layer?.subscribe(update);
    if (!inFrame) {
      return () => {
        stop();
        unsubscribe?.();
      };
    }
    const top = el.ownerDocument.defaultView!;
    const controller = new AbortController();
    top.addEventListener('scroll', update, { capture: true, passive: true, signal: controller.signal });
    top.addEventListener('resize', update, { signal: controller.signal });
    return () => {
      stop();
      unsubscribe?.();
      controller.abort();
    };
  }, [target, floating, arrowRef, placement, gap, layer]);
}
