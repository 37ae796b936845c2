/**
 * What the help panel shows for the current screen: walkthroughs that start here (and the one in
 * progress), this screen's tips with what they save, the live rollout stage with its checklist,
 * and the user's own time-saved total. Pure: built from the pack and the user's progress.
 */
import type { CompiledPack, CompiledScreen } from '../rules/compiled';
import { localize } from '../rules/compiled';
import type { Progress } from '../progress/progress';

export interface PanelModel {
  pack: string;
  packName: string;
  screenTitle: string;
  walkthroughs: Array<{ id: string; title: string; description?: string; completed: boolean; steps: number }>;
  active?: { id: string; title: string; stepIndex: number; steps: number; snoozed: boolean; onThisScreen: boolean; stepScreenTitle: string };
  tips: Array<{ id: string; title: string; text: string; replaces: string; savesSeconds: number; learned: boolean }>;
  stage?: {
    title: string;
    description?: string;
    checklist: Array<{ label: string; done: boolean; walkthrough?: string }>;
  };
  /** Seconds CRM Coach saved this user this month (their own ledger, on this device). */
  savedThisMonth: number;
}

/** The panel model with what the user can do from it. */
export interface PanelView extends PanelModel {
  onStart: (walkthrough: string) => void;
  onResume: () => void;
  onOpen: () => void;
}

export function buildPanelModel(
  pack: CompiledPack,
  screen: CompiledScreen,
  progress: Progress,
  { locale, liveStage, month }: { locale: string; liveStage?: string; month: string },
): PanelModel {
  const t = (text: Parameters<typeof localize>[0]) => localize(text, locale, pack.defaultLocale);
  const screenTitle = (id: string) => {
    const s = pack.screens.find((x) => x.id === id);
    return s ? t(s.title) : id;
  };
  const walkthroughs = pack.walkthroughs
    .filter((w) => w.startOn.includes(screen.id))
    .map((w) => ({
      id: w.id,
      title: t(w.title),
      ...(w.description !== undefined && { description: t(w.description) }),
      completed: progress.walkthroughs[w.id]?.completed === true,
      steps: w.steps.length,
    }));
  const activeWalkthrough = progress.active && pack.walkthroughs.find((w) => w.id === progress.active!.walkthrough);
  const activeIndex = activeWalkthrough ? activeWalkthrough.steps.findIndex((s) => s.id === progress.active!.step) : -1;
  const activeStep = activeWalkthrough?.steps[Math.max(0, activeIndex)];
  const tips = pack.rules
    .filter((r) => r.kind === 'tip' && r.screen === screen.id)
    .map((r) => {
      const tip = r as Extract<typeof r, { kind: 'tip' }>;
      return {
        id: tip.id,
        title: tip.title !== undefined ? t(tip.title) : t(tip.replaces),
        text: t(tip.text),
        replaces: t(tip.replaces),
        savesSeconds: tip.savesSeconds,
        learned: (progress.rules[tip.id]?.actions ?? 0) >= tip.mastery,
      };
    });
  const stage = pack.stages.find((s) => s.id === (liveStage ?? pack.liveStage));
  const tipDone = (id: string) => (progress.rules[id]?.actions ?? 0) > 0;
  return {
    pack: pack.id,
    packName: t(pack.name),
    screenTitle: t(screen.title),
    walkthroughs,
    ...(activeWalkthrough &&
      activeStep && {
        active: {
          id: activeWalkthrough.id,
          title: t(activeWalkthrough.title),
          stepIndex: Math.max(0, activeIndex),
          steps: activeWalkthrough.steps.length,
          snoozed: progress.active!.snoozed,
          onThisScreen: activeStep.screen === screen.id,
          stepScreenTitle: screenTitle(activeStep.screen),
        },
      }),
    tips,
    ...(stage && {
      stage: {
        title: t(stage.title),
        ...(stage.description !== undefined && { description: t(stage.description) }),
        checklist: stage.checklist.map((item) => {
          if ('walkthrough' in item) {
            const w = pack.walkthroughs.find((x) => x.id === item.walkthrough);
            return { label: w ? t(w.title) : item.walkthrough, done: progress.walkthroughs[item.walkthrough]?.completed === true, walkthrough: item.walkthrough };
          }
          const rule = pack.rules.find((r) => r.id === item.tip);
          const label = rule?.title !== undefined ? t(rule.title) : rule?.kind === 'tip' ? t(rule.replaces) : item.tip;
          return { label, done: tipDone(item.tip) };
        }),
      },
    }),
    savedThisMonth: progress.ledger[month] ?? 0,
  };
}
