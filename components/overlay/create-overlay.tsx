/**
 * Mounts the overlay: one host element on <html> (SPAs replace <body> content, not <html>), an
 * open shadow root (style isolation; open so tests and assistive tech can reach it), a React
 * root and a store of its own. Everything is removed when `signal` aborts. An error while
 * rendering one item hides that item only (ErrorBoundary), never the CRM page.
 *
 * The layer that holds everything is a manual popover kept on top of the browser's top layer
 * (top-layer.ts: above the CRM's modal dialogs, popovers and fullscreen elements). Its direction
 * is right-to-left when the UI language is, or when the CRM page itself is (<html dir="rtl">).
 */
import { Component, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import type { OverlayPort, TooltipView } from '../../lib/content/coach';
import { createTranslator, resolveUiLocale, type Translate } from '../../lib/i18n';
import { createOverlayStore, type OverlayStore } from './overlay-store';
import { overlayCss } from './styles';
import { Tooltip } from './Tooltip';
import { StepDialog } from './StepDialog';
import { Launcher } from './HelpPanel';
import { keepOnTop, type TopLayer } from './top-layer';
import { LayerContext } from './use-anchor';

export const OVERLAY_HOST_TAG = 'crm-coach-overlay';
const RTL = /^(ar|he|fa|ur)\b/;

/** The CRM page's own direction (its <body>'s, which follows <html dir> unless overridden). */
export function pageDirection(document: Document): 'ltr' | 'rtl' {
  const el = document.body ?? document.documentElement;
  return document.defaultView?.getComputedStyle(el).direction === 'rtl' ? 'rtl' : 'ltr';
}

class Isolate extends Component<{ children: ReactNode; name: string }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    console.debug(`[crm-coach] ${this.props.name} failed and is hidden`, error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

function Overlay({ store, t, layer }: { store: OverlayStore; t: Translate; layer: TopLayer }) {
  const tooltips = useStore(store, (s) => s.tooltips);
  const step = useStore(store, (s) => s.step);
  const panel = useStore(store, (s) => s.panel);
  return (
    <LayerContext.Provider value={layer}>
      {tooltips.map((view) => (
        <Isolate key={view.id} name={view.id}>
          <Tooltip view={view} t={t} />
        </Isolate>
      ))}
      {step && (
        <Isolate key={step.view.id} name={step.view.id}>
          <StepDialog view={step.view} t={t} takeFocus={step.takeFocus} />
        </Isolate>
      )}
      {panel && (
        <Isolate name="help panel">
          <Launcher view={panel} t={t} />
        </Isolate>
      )}
    </LayerContext.Provider>
  );
}

export interface OverlayOptions {
  locale?: string;
}

export function createOverlay(document: Document, signal: AbortSignal, options: OverlayOptions = {}): OverlayPort {
  const host = document.createElement(OVERLAY_HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = overlayCss;
  const container = document.createElement('div');
  container.className = 'layer';
  container.popover = 'manual';
  const locale = resolveUiLocale(options.locale ?? document.defaultView?.navigator.language);
  container.lang = locale;
  const setDirection = () => {
    container.dir = RTL.test(options.locale ?? '') || pageDirection(document) === 'rtl' ? 'rtl' : 'ltr';
  };
  setDirection();
  shadow.append(style, container);
  document.documentElement.append(host);

  // A CRM that switches language (and direction) without a reload.
  const direction = new MutationObserver(setDirection);
  for (const el of [document.documentElement, document.body]) if (el) direction.observe(el, { attributes: true, attributeFilter: ['dir'] });

  const layer = keepOnTop(host, container, signal);
  const store = createOverlayStore();
  const root = createRoot(container);
  root.render(<Overlay store={store} t={createTranslator(locale)} layer={layer} />);
  signal.addEventListener(
    'abort',
    () => {
      direction.disconnect();
      root.unmount();
      host.remove();
    },
    { once: true },
  );
  const state = () => store.getState();
  // Several tooltips asked for in one task (a screen's first pass finds them all) are drawn one
  // per frame: the first at once, the others in the next frames. React renders and floating-ui
  // measures each in its own task instead of all in one long task on a big page.
  const queued: TooltipView[] = [];
  let frameBusy = false;
  const view = document.defaultView ?? window;
  const nextFrame = () => {
    frameBusy = true;
    view.requestAnimationFrame(() => {
      if (signal.aborted) return;
      const next = queued.shift();
      if (next) {
        state().show(next);
        nextFrame();
      } else frameBusy = false;
    });
  };
  return {
    show: (tooltip) => {
      const waiting = queued.findIndex((q) => q.id === tooltip.id);
      if (waiting >= 0) queued[waiting] = tooltip;
      else if (frameBusy) queued.push(tooltip);
      else {
        state().show(tooltip);
        nextFrame();
      }
    },
    hide: (id) => {
      const waiting = queued.findIndex((q) => q.id === id);
      if (waiting >= 0) queued.splice(waiting, 1);
      state().hide(id);
    },
    showStep: (view, takeFocus = false) => state().showStep(view, takeFocus),
    setPanel: (panel) => state().setPanel(panel),
  };
}
