/** One store per overlay instance (a factory, never a module-global singleton). */
import { createStore } from 'zustand/vanilla';
import type { TooltipView } from '../../lib/content/coach';
import type { StepView } from '../../lib/content/walkthrough-runner';
import type { PanelView } from '../../lib/content/panel-model';

export interface OverlayState {
  tooltips: TooltipView[];
  step: { view: StepView; takeFocus: boolean } | null;
  panel: PanelView | null;
  show: (view: TooltipView) => void;
  hide: (id: string) => void;
  showStep: (view: StepView | null, takeFocus: boolean) => void;
  setPanel: (panel: PanelView | null) => void;
}

export function createOverlayStore() {
  return createStore<OverlayState>()((set) => ({
    tooltips: [],
    step: null,
    panel: null,
    show: (view) => set((s) => ({ tooltips: [...s.tooltips.filter((t) => t.id !== view.id), view] })),
    hide: (id) => set((s) => ({ tooltips: s.tooltips.filter((t) => t.id !== id) })),
    showStep: (view, takeFocus) => set({ step: view ? { view, takeFocus } : null }),
    setPanel: (panel) => set({ panel }),
  }));
}

export type OverlayStore = ReturnType<typeof createOverlayStore>;
