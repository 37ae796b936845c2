/**
 * The floor: the extension's own target code (lib/targets, lib/dom/root-registry), unminified,
 * bundled into the page's world as /engine.js. Evaluates a list of targets once, several times,
 * on a quiet page, so "what does one evaluation of N rules cost here" has a number, and a CPU
 * profile of it has real function names.
 */
import { RootRegistry } from '../../lib/dom/root-registry';
import type { TargetStrategy } from '../../lib/rules/compiled';
import { resolveStrategy, resolveTarget } from '../../lib/targets/resolve-target';

type Kind = 'css' | 'role' | 'label' | 'text';
const kindOf = (s: TargetStrategy): Kind => (s.css !== undefined ? 'css' : s.role !== undefined ? 'role' : s.label !== undefined ? 'label' : 'text');

export interface FloorResult {
  rules: number;
  /** Set when the time box ran out: only `rules` of `of` were evaluated (in the first run). */
  partial: boolean;
  of: number;
  found: number;
  scanMs: number;
  firstMs: number;
  medianMs: number;
  minMs: number;
  /** One strategy at a time (every strategy of every target), summed per kind, from one run. */
  byKind: Record<Kind, { strategies: number; ms: number }>;
}

function floor(targets: TargetStrategy[][], reps = 5, budgetMs = Infinity): FloorResult {
  void document.body.offsetHeight; // the page's own pending style/layout is not ours
  const deadline = performance.now() + budgetMs;
  let t = performance.now();
  const roots = new RootRegistry(document).roots;
  const scanMs = performance.now() - t;
  const times: number[] = [];
  let found = 0;
  let evaluated = targets.length;
  for (let i = 0; i < reps; i++) {
    t = performance.now();
    found = 0;
    let done = 0;
    for (const target of targets) {
      if (performance.now() > deadline) break;
      if (resolveTarget(target, roots)) found++;
      done++;
    }
    times.push(performance.now() - t);
    if (i === 0) evaluated = done;
    if (performance.now() > deadline) break;
  }
  const byKind: FloorResult['byKind'] = { css: { strategies: 0, ms: 0 }, role: { strategies: 0, ms: 0 }, label: { strategies: 0, ms: 0 }, text: { strategies: 0, ms: 0 } };
  for (const target of targets) {
    if (performance.now() > deadline) break;
    for (const s of target) {
      t = performance.now();
      resolveStrategy(s, roots);
      const k = byKind[kindOf(s)];
      k.ms += performance.now() - t;
      k.strategies++;
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { rules: evaluated, partial: evaluated < targets.length, of: targets.length, found, scanMs, firstMs: times[0]!, medianMs: sorted[Math.floor(sorted.length / 2)]!, minMs: sorted[0]!, byKind };
}

(globalThis as unknown as { __benchEngine: unknown }).__benchEngine = { floor };
