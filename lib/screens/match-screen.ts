/**
 * Which screen is the user on? URL matchers first (pure), DOM probes second (only for the
 * screens whose URL matched). The most specific match wins: probes count for more than any URL
 * detail (a modal over a list is more specific than the list), then the URL's own specificity,
 * then the screen id, so the answer is deterministic.
 */
import type { CompiledPack, CompiledScreen } from '../rules/compiled';
import type { SearchRoot } from '../dom/root-registry';
import { resolveTarget, type TargetScope } from '../targets/resolve-target';
import { matchUrl, type NormalizedUrl } from './match-url';

export interface ScreenMatch {
  pack: CompiledPack;
  screen: CompiledScreen;
}

const PROBE_WEIGHT = 100_000;

/** URL-only score of a screen, or -1 when no matcher matches. */
export function urlScore(screen: CompiledScreen, url: NormalizedUrl): number {
  let best = -1;
  for (const m of screen.url) if (m.specificity > best && matchUrl(m, url)) best = m.specificity;
  return best;
}

export function probesPass(screen: CompiledScreen, roots: TargetScope | Iterable<SearchRoot>): boolean {
  return screen.probes.every((p) => (resolveTarget(p.target, roots) !== null) === (p.kind === 'exists'));
}

export function matchScreen(
  packs: readonly CompiledPack[],
  url: NormalizedUrl,
  roots: TargetScope | Iterable<SearchRoot> | null,
): ScreenMatch | null {
  let best: ScreenMatch | null = null;
  let bestScore = -1;
  for (const pack of packs) {
    for (const screen of pack.screens) {
      const score = urlScore(screen, url);
      if (score < 0) continue;
      if (screen.probes.length > 0 && (!roots || !probesPass(screen, roots))) continue;
      const total = score + screen.probes.length * PROBE_WEIGHT;
      if (total > bestScore || (total === bestScore && best && screen.id < best.screen.id)) {
        best = { pack, screen };
        bestScore = total;
      }
    }
  }
  return best;
}

/** Do any of these packs' screens depend on the DOM (so DOM changes can change the screen)? */
export const hasDomProbes = (packs: readonly CompiledPack[]) =>
  packs.some((p) => p.screens.some((s) => s.probes.length > 0));
