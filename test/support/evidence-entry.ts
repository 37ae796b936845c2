/**
 * Bundled into an IIFE and injected into fixture pages by the pack-evidence test: the real
 * engine code (not a copy) counting what each target strategy finds on a fixture.
 */
import { RootRegistry } from '../../lib/dom/root-registry';
import type { CompiledPack, TargetStrategy } from '../../lib/rules/compiled';
import { matchScreen } from '../../lib/screens/match-screen';
import { normalizeUrl } from '../../lib/screens/match-url';
import { countMatches, resolveTarget } from '../../lib/targets/resolve-target';

const roots = () => new RootRegistry(document).roots;

(globalThis as Record<string, unknown>).crmCoachEvidence = {
  /** Visible matches per strategy, in order. */
  counts: (target: TargetStrategy[]) => target.map((s) => countMatches(s, roots())),
  /** Does the target resolve at all (first hit wins)? */
  resolves: (target: TargetStrategy[]) => resolveTarget(target, roots()) !== null,
  /** Which screen the engine says this is, for a URL, with probes run on this DOM. */
  screen: (packs: CompiledPack[], url: string) => matchScreen(packs, normalizeUrl(url), roots())?.screen.id ?? null,
};
