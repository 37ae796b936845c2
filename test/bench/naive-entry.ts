/**
 * The NAIVE matcher the benchmark compares against (bundled into the page's own world, served
 * as /naive.js so profiles and traces attribute its time by URL). Same strategy code as the
 * extension (lib/targets, lib/dom/root-registry), none of the architecture: no screen index,
 * no "pending only", no coalescing — every rule of every pack is re-resolved on every mutation
 * batch (each MutationObserver callback).
 *
 * A pass stops between two rules once `deadline` (performance.now() ms) has passed — the end of
 * the page's measuring window — so a scenario stays bounded in time even when one pass takes
 * seconds. Passes cut short make the naive matcher look cheaper than it is, never dearer.
 */
import { RootRegistry } from '../../lib/dom/root-registry';
import type { CompiledBundle } from '../../lib/rules/compiled';
import { resolveTarget } from '../../lib/targets/resolve-target';

interface NaiveState {
  passes: number;
  cut: number;
  lastPassMs: number;
  totalMs: number;
  maxPassMs: number;
  found: number;
  deadline: number;
  stop: () => void;
}

const bundle = (globalThis as unknown as { __benchBundle: CompiledBundle }).__benchBundle;
const rules = bundle.packs.flatMap((p) => p.rules).filter((r) => r.target.length > 0);
const registry = new RootRegistry(document);
const initialDeadline = (globalThis as unknown as { __benchNaiveDeadline?: number }).__benchNaiveDeadline ?? Infinity;
const state: NaiveState = { passes: 0, cut: 0, lastPassMs: 0, totalMs: 0, maxPassMs: 0, found: 0, deadline: initialDeadline, stop: () => observer.disconnect() };

function pass(added: Node[]): void {
  const t0 = performance.now();
  for (const node of added) if (node.isConnected) registry.scan(node);
  registry.refresh();
  let found = 0;
  for (const rule of rules) {
    if (performance.now() > state.deadline) {
      state.cut++;
      break;
    }
    if (resolveTarget(rule.target, registry.roots)) found++;
  }
  const ms = performance.now() - t0;
  state.passes++;
  state.found = found;
  state.lastPassMs = ms;
  state.totalMs += ms;
  state.maxPassMs = Math.max(state.maxPassMs, ms);
}

const observer = new MutationObserver((records) => {
  const added: Node[] = [];
  for (const r of records) for (const n of r.addedNodes) if (n.nodeType === Node.ELEMENT_NODE) added.push(n);
  pass(added);
});
observer.observe(document, { childList: true, subtree: true, characterData: true });
// The benchmark page announces its measuring window: passes stop at its end (bounded scenario).
addEventListener('bench-window', (e) => {
  state.deadline = (e as CustomEvent<{ end: number }>).detail.end;
});
pass([]);
(globalThis as unknown as { __benchNaive: NaiveState & { rules: number } }).__benchNaive = Object.assign(state, { rules: rules.length });
