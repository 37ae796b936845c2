/** One store per overlay instance (a factory, never a module-global singleton). */
import { createStore } from 'zustand/vanilla';
import type { TooltipView } from '../../lib/content/coach';

export interface OverlayState {
  tooltips: TooltipView[];
  show: (view: TooltipView) => void;
  hide: (id: string) => void;
}

export function createOverlayStore() {
  return createStore<OverlayState>()((set) => ({
    tooltips: [],
    show: (view) => set((s) => ({ tooltips: [...s.tooltips.filter((t) => t.id !== view.id), view] })),
    hide: (id) => set((s) => ({ tooltips: s.tooltips.filter((t) => t.id !== id) })),
  }));
}

export type OverlayStore = ReturnType<typeof createOverlayStore>;
