/**
 * The two insight signals that come from the user's progress rather than from the page, derived
 * in the background where the progress is applied (so the content script stays as it is):
 *
 *   tip-used        the tip's faster path was used (a progress "action" event): rule = the tip's
 *                   id, screen = the tip's screen. Time saved is count × the tip's savesSeconds,
 *                   computed when insights are read (the pack may change the seconds later).
 *   stage-complete  every checklist item of a stage is done: rule = the stage id. Emitted on any
 *                   progress event of that pack, with a uid made of day + pack + stage, so the
 *                   store keeps at most one per day per stage (its by-uid index dedupes): per day,
 *                   "contributors with stage X complete / contributors active" is then countable.
 */
import type { CompiledPack, CompiledStage } from '../rules/compiled';
import type { Progress, ProgressEvent } from '../progress/progress';
import type { SignalType } from '../messages';

export interface ProgressSignal {
  type: Extract<SignalType, 'tip-used' | 'stage-complete'>;
  pack: CompiledPack;
  screen: string;
  rule: string;
  /** For the store's dedupe (stage-complete only). */
  uid?: string;
}

/** Is every item of the stage's checklist done? (An empty checklist is never "complete".) */
export function stageComplete(stage: CompiledStage, progress: Progress): boolean {
  if (stage.checklist.length === 0) return false;
  return stage.checklist.every((item) =>
    'walkthrough' in item ? progress.walkthroughs[item.walkthrough]?.completed === true : (progress.rules[item.tip]?.actions ?? 0) > 0,
  );
}

/** The screen an event happened on, within `pack` (undefined when it names nothing of the pack). */
function screenOf(event: ProgressEvent, pack: CompiledPack): string | undefined {
  switch (event.type) {
    case 'visit':
      return pack.screens.some((s) => s.id === event.screen) ? event.screen : undefined;
    case 'shown':
    case 'dismissed':
    case 'action':
      return pack.rules.find((r) => r.id === event.rule)?.screen;
    case 'walkthrough':
      return pack.walkthroughs.find((w) => w.id === event.walkthrough)?.steps.find((s) => s.id === event.step)?.screen;
  }
}

/** The signals one applied progress event gives (`progress` is the progress after it). */
export function progressSignals(event: ProgressEvent, packs: readonly CompiledPack[], progress: Progress, day: string): ProgressSignal[] {
  const out: ProgressSignal[] = [];
  for (const pack of packs) {
    const screen = screenOf(event, pack);
    if (screen === undefined) continue;
    if (event.type === 'action') {
      const tip = pack.rules.find((r) => r.id === event.rule && r.kind === 'tip');
      if (tip) out.push({ type: 'tip-used', pack, screen: tip.screen, rule: tip.id });
    }
    for (const stage of pack.stages) {
      if (stageComplete(stage, progress)) {
        out.push({ type: 'stage-complete', pack, screen, rule: stage.id, uid: `stage-complete:${day}:${pack.id}:${stage.id}` });
      }
    }
  }
  return out;
}
