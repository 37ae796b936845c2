/**
 * Mounts the overlay: one host element on <html> (SPAs replace <body> content, not <html>), an
 * open shadow root (style isolation; open so tests and assistive tech can reach it), a React
 * root and a store of its own. Everything is removed when `signal` aborts. An error while
 * rendering one item hides that item only (ErrorBoundary), never the CRM page.
 */
import { Component, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import type { OverlayPort } from '../../lib/content/coach';
import { createTranslator, resolveUiLocale, type Translate } from '../../lib/i18n';
import { createOverlayStore, type OverlayStore } from './overlay-store';
import { overlayCss } from './styles';
import { Tooltip } from './Tooltip';
import { StepDialog } from './StepDialog';
import { Launcher } from './HelpPanel';

export const OVERLAY_HOST_TAG = 'crm-coach-overlay';
const RTL = /^(ar|he|fa|ur)\b/;

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

function Overlay({ store, t }: { store: OverlayStore; t: Translate }) {
  const tooltips = useStore(store, (s) => s.tooltips);
  const step = useStore(store, (s) => s.step);
  const panel = useStore(store, (s) => s.panel);
  return (
    <div className="layer">
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
    </div>
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
  const locale = resolveUiLocale(options.locale ?? document.defaultView?.navigator.language);
  container.lang = locale;
  container.dir = RTL.test(options.locale ?? '') ? 'rtl' : 'ltr';
  shadow.append(style, container);
  document.documentElement.append(host);

  const store = createOverlayStore();
  const root = createRoot(container);
  root.render(<Overlay store={store} t={createTranslator(locale)} />);
  signal.addEventListener(
    'abort',
    () => {
      root.unmount();
      host.remove();
    },
    { once: true },
  );
  const state = () => store.getState();
  return {
    show: (view) => state().show(view),
    hide: (id) => state().hide(id),
    showStep: (view, takeFocus = false) => state().showStep(view, takeFocus),
    setPanel: (panel) => state().setPanel(panel),
  };
}
