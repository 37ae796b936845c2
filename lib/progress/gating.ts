/**
 * Should a rule show now? Pure: rule + the user's progress + context in, a verdict with its
 * reason out, so "why did this (not) show?" always has an answer.
 */
import type { CompiledRule } from '../rules/compiled';
import { fromKey, type Progress } from './progress';

export interface GatingContext {
  progress: Progress;
  /** The live rollout stage of the rule's pack (policy or pack default). */
  liveStage?: string;
  /** The user's audience tag from policy. */
  audience?: string;
  locale: string;
  /** "2026-11-28" */
  today: string;
}

export type Verdict = { show: true } | { show: false; reason: string };

export function gate(rule: CompiledRule, ctx: GatingContext): Verdict {
  const w = rule.when;
  if (w?.stages && (!ctx.liveStage || !w.stages.includes(ctx.liveStage))) return { show: false, reason: 'stage not live' };
  if (w?.audience && (!ctx.audience || !w.audience.includes(ctx.audience))) return { show: false, reason: 'not for this audience' };
  if (w?.locales) {
    const language = ctx.locale.split('-')[0]!;
    if (!w.locales.includes(ctx.locale) && !w.locales.includes(language)) return { show: false, reason: 'not for this language' };
  }
  if (w?.after) {
    const visits = w.after.from
      ? (ctx.progress.visitsFrom[fromKey(w.after.from, w.after.visits)] ?? 0)
      : (ctx.progress.visits[w.after.visits] ?? 0);
    if (visits < w.after.times) return { show: false, reason: `${visits} of ${w.after.times} visits` };
  }
  const state = ctx.progress.rules[rule.id];
  const completed = rule.walkthrough !== undefined && ctx.progress.walkthroughs[rule.walkthrough]?.completed === true;
  // Tips fade as people learn: a completed walkthrough or enough unaided uses retires them.
  if (completed && (rule.kind === 'tip' || rule.frequency === 'until-completed')) return { show: false, reason: 'walkthrough completed' };
  if (rule.kind === 'tip' && (state?.actions ?? 0) >= rule.mastery) return { show: false, reason: 'mastered' };
  switch (rule.frequency) {
    case 'once':
      if ((state?.shown ?? 0) > 0) return { show: false, reason: 'shown once already' };
      break;
    case 'daily':
      if (state?.lastShownDay === ctx.today) return { show: false, reason: 'shown today already' };
      break;
    case 'until-dismissed':
      if (state?.dismissed) return { show: false, reason: 'dismissed' };
      break;
    case 'until-completed':
    case 'always':
      break;
  }
  return { show: true };
}
