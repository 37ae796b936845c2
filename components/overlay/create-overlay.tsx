/**
 * Mounts the overlay: one host element on <html> (SPAs replace <body> content, not <html>), an
 * open shadow root (style isolation; open so tests and assistive tech can reach it), a React
 * root and a store of its own. Everything is removed when `signal` aborts.
 */
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import type { OverlayPort } from '../../lib/content/coach';
import { createOverlayStore, type OverlayStore } from './overlay-store';
import { overlayCss } from './styles';
import { Tooltip } from './Tooltip';

export const OVERLAY_HOST_TAG = 'crm-coach-overlay';

function Overlay({ store }: { store: OverlayStore }) {
  const tooltips = useStore(store, (s) => s.tooltips);
  return (
    <div className="layer">
      {tooltips.map((view) => (
        <Tooltip key={view.id} view={view} />
      ))}
    </div>
  );
}

export function createOverlay(document: Document, signal: AbortSignal): OverlayPort {
  const host = document.createElement(OVERLAY_HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = overlayCss;
  const container = document.createElement('div');
  shadow.append(style, container);
  document.documentElement.append(host);

  const store = createOverlayStore();
  const root = createRoot(container);
  root.render(<Overlay store={store} />);
  signal.addEventListener(
    'abort',
    () => {
      root.unmount();
      host.remove();
    },
    { once: true },
  );
  return {
    show: (view) => store.getState().show(view),
    hide: (id) => store.getState().hide(id),
  };
}
