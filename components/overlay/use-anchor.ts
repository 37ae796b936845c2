/**
 * Positioning in one place (floating-ui): flip -> shift -> arrow last, hidden with its target,
 * `autoUpdate` cleaned up when the floating element goes. Targets in same-origin iframes are
 * measured as rectangles of the top page.
 */
import { useLayoutEffect, type RefObject } from 'react';
import { arrow, autoUpdate, computePosition, flip, hide, offset, shift, type Placement, type VirtualElement } from '@floating-ui/dom';

const SIDE: Record<string, string> = { top: 'bottom', right: 'left', bottom: 'top', left: 'right' };

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
  placement: Placement | 'auto',
  gap = 10,
): void {
  useLayoutEffect(() => {
    const el = floating.current;
    if (!el || !target) return;
    const arrowEl = arrowRef?.current ?? null;
    const inFrame = target.ownerDocument !== el.ownerDocument;
    const reference = inFrame ? inTopPage(target) : target;
    const update = () => {
      void computePosition(reference, el, {
        strategy: 'fixed',
        placement: placement === 'auto' ? 'bottom' : placement,
        // hide() measures clipping in the target's own document; for a target in a frame the
        // rectangle is the top page's, so only the visibility check below applies there.
        middleware: [offset(gap), flip(), shift({ padding: 8 }), ...(arrowEl ? [arrow({ element: arrowEl })] : []), ...(inFrame ? [] : [hide()])],
      }).then(({ x, y, placement: side, middlewareData }) => {
        // Hidden with its target: scrolled out of its container, or hidden by the CRM.
        const targetGone = middlewareData.hide?.referenceHidden || !isShown(target);
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
    if (!inFrame) return stop;
    const top = el.ownerDocument.defaultView!;
    const controller = new AbortController();
    top.addEventListener('scroll', update, { capture: true, passive: true, signal: controller.signal });
    top.addEventListener('resize', update, { signal: controller.signal });
    return () => {
      stop();
      controller.abort();
    };
  }, [target, floating, arrowRef, placement, gap]);
}
