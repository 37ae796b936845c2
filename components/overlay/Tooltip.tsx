import { useLayoutEffect, useRef } from 'react';
import { arrow, autoUpdate, computePosition, flip, hide, offset, shift, type Placement, type VirtualElement } from '@floating-ui/dom';
import type { TooltipView } from '../../lib/content/coach';

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

/** A labelled, non-modal dialog next to its target. Showing it never steals focus from the CRM. */
export function Tooltip({ view }: { view: TooltipView }) {
  const floating = useRef<HTMLDivElement>(null);
  const arrowRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = floating.current;
    const arrowEl = arrowRef.current;
    if (!el || !arrowEl) return;
    const inFrame = view.element.ownerDocument !== el.ownerDocument;
    const reference = inFrame ? inTopPage(view.element) : view.element;
    const update = () => {
      void computePosition(reference, el, {
        strategy: 'fixed',
        placement: (view.placement === 'auto' ? 'bottom' : view.placement) as Placement,
        // flip -> shift -> arrow last, as floating-ui recommends.
        // hide() measures clipping in the target's own document; for a target in a frame the
        // rectangle is the top page's, so only the visibility check below applies there.
        middleware: [offset(10), flip(), shift({ padding: 8 }), arrow({ element: arrowEl }), ...(inFrame ? [] : [hide()])],
      }).then(({ x, y, placement, middlewareData }) => {
        // Hidden with its target: scrolled out of its container, or hidden by the CRM.
        const targetGone = middlewareData.hide?.referenceHidden || !isShown(view.element);
        Object.assign(el.style, { left: `${x}px`, top: `${y}px`, visibility: targetGone ? 'hidden' : 'visible' });
        el.dataset.placement = placement;
        const a = middlewareData.arrow;
        const side = SIDE[placement.split('-')[0]!]!;
        Object.assign(arrowEl.style, {
          left: a?.x != null ? `${a.x}px` : '',
          top: a?.y != null ? `${a.y}px` : '',
          [side]: '-5px',
        });
      });
    };
    // autoUpdate follows scroll, resize and layout shifts; its cleanup runs on hide. For a target
    // in a frame it sees the frame's scrolling; the top page's scrolling is added here.
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
  }, [view.element, view.placement]);

  const titleId = `${view.domId}-title`;
  const textId = `${view.domId}-text`;
  return (
    <div
      ref={floating}
      id={view.domId}
      className="tooltip"
      role="dialog"
      aria-labelledby={view.title ? titleId : textId}
      aria-describedby={view.title ? textId : undefined}
      data-rule={view.id}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          view.onDismiss();
        }
      }}
    >
      {view.title && (
        <p className="title" id={titleId}>
          {view.title}
        </p>
      )}
      <p className="text" id={textId}>
        {view.text}
      </p>
      <div className="actions">
        <button type="button" className="dismiss" onClick={view.onDismiss}>
          Got it
        </button>
      </div>
      <div ref={arrowRef} className="arrow" aria-hidden="true" />
    </div>
  );
}
