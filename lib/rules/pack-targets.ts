/**
 * Every target a pack points at, by a stable key: the selector evidence tests check each one
 * against a fixture, and rule health can name them.
 *
 *   <screen>.tooltips#<key>           a tooltip's target
 *   <screen>.tips#<key>               a tip's target;  ...#<key>/action  its action's target
 *   <name>.walkthrough#<step>         a step's target; ...#<step>/advance, ...#<step>/skipIf
 *   <screen>.screen/probes[<i>]       a screen's DOM probe
 *   pack/errors                       the pack's error-banner target
 */
import type { CompiledPack, TargetStrategy } from './compiled';

export function packTargets(pack: CompiledPack): Map<string, TargetStrategy[]> {
  const out = new Map<string, TargetStrategy[]>();
  const local = (id: string) => id.slice(pack.id.length + 1);
  for (const screen of pack.screens) {
    screen.probes.forEach((p, i) => out.set(`${local(screen.id)}.screen/probes[${i}]`, p.target));
  }
  for (const rule of pack.rules) {
    if (rule.target.length > 0) out.set(local(rule.id), rule.target);
    if (rule.kind === 'tip' && rule.action.kind !== 'screen') out.set(`${local(rule.id)}/action`, rule.action.target);
  }
  for (const w of pack.walkthroughs) {
    for (const step of w.steps) {
      if (step.target.length > 0) out.set(local(step.id), step.target);
      if (step.advance.kind === 'appears' || step.advance.kind === 'disappears') out.set(`${local(step.id)}/advance`, step.advance.target);
      if (step.skipIf) out.set(`${local(step.id)}/skipIf`, step.skipIf.target);
    }
  }
  if (pack.errorTargets) out.set('pack/errors', pack.errorTargets);
  return out;
}
