/**
 * The overlay script is injected on demand into the content script's isolated world (the
 * background runs `scripting.executeScript`). Both share that world's globals, so the overlay
 * leaves its factory under this key and the content script picks it up. The page cannot see it.
 */
import type { OverlayPort } from './coach';

export const OVERLAY_FACTORY = Symbol.for('crm-coach/overlay-factory');
export type OverlayFactory = (document: Document, signal: AbortSignal, options?: { locale?: string }) => OverlayPort;

export function getOverlayFactory(): OverlayFactory | undefined {
  return (globalThis as Record<symbol, OverlayFactory | undefined>)[OVERLAY_FACTORY];
}

export function setOverlayFactory(factory: OverlayFactory): void {
  (globalThis as Record<symbol, OverlayFactory>)[OVERLAY_FACTORY] = factory;
}
