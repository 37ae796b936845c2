/**
 * The engine twin: lib/content/coach.ts itself, unminified, in the page's own world (/coach.js),
 * with an overlay that draws nothing. The bench runs it under the same storm as the extension to
 * get hot spots with real function names (the built content script is minified), and as a
 * cross-check of the extension's figures without the overlay and the isolated world.
 */
import { Coach } from '../../lib/content/coach';
import type { CompiledBundle } from '../../lib/rules/compiled';

type CoachOptions = ConstructorParameters<typeof Coach>[0];

const bundle = (globalThis as unknown as { __benchBundle: CompiledBundle }).__benchBundle;
// The packs the background would send to http://127.0.0.1 (the page itself is on localhost).
const packs = bundle.packs.filter((p) => p.hosts.some((h) => h.host === '127.0.0.1'));
const controller = new AbortController();
let shown = 0;
const options = {
  window,
  packs,
  signal: controller.signal,
  loadOverlay: async () => ({ show: () => void shown++, hide: () => {} }),
  emit: () => {},
  record: () => {},
};
// Cast: the options grow as the engine grows; the twin passes what a page without settings has.
const coach = new Coach(options as unknown as CoachOptions);
coach.start();
(globalThis as unknown as { __benchCoach: unknown }).__benchCoach = {
  get shown() {
    return shown;
  },
  get screen() {
    return coach.screen;
  },
  stop: () => controller.abort(),
};
