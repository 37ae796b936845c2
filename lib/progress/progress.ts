/**
 * The user's own progress: what they have seen, dismissed, learned and completed. It drives
 * frequency caps, mastery, "after N visits" and the time-saved ledger. It never leaves the
 * device (sync sends aggregates of signals, not this) and holds only rule/screen ids and numbers.
 *
 *   Progress
 *   ├─ rules[ruleId]          { shown, lastShownDay, dismissed, actions }
 *   ├─ visits[screenId]       count;  visitsFrom["<from> > <screen>"]  count
 *   ├─ walkthroughs[id]       { completed, step }  (the last step reached)
 *   ├─ active                 { walkthrough, step, snoozed }: the walkthrough in progress, which
 *   │                         survives navigation, reloads and browser restarts
 *   └─ ledger[YYYY-MM]        seconds saved that month
 *
 * The background is the only writer (progress-store.ts); content scripts apply the same reducer
 * to their local copy so gating never waits for a round trip.
 */
export interface RuleProgress {
  shown: number;
  lastShownDay?: string;
  dismissed: boolean;
  /** Times the rule's action (a tip's faster path) was done. */
  actions: number;
}

export interface Progress {
  rules: Record<string, RuleProgress>;
  visits: Record<string, number>;
  visitsFrom: Record<string, number>;
  walkthroughs: Record<string, { completed: boolean; step?: string }>;
  active?: { walkthrough: string; step: string; snoozed: boolean };
  ledger: Record<string, number>;
}

/** active: started or moved to `step`; snoozed: put aside (resume later); exited; completed. */
export type WalkthroughStatus = 'active' | 'snoozed' | 'exited' | 'completed';

export type ProgressEvent =
  | { type: 'visit'; screen: string; from?: string }
  | { type: 'shown'; rule: string }
  | { type: 'dismissed'; rule: string }
  /** A tip's faster path was used; `seconds` is credited when the tip had been shown before. */
  | { type: 'action'; rule: string; seconds: number }
  | { type: 'walkthrough'; walkthrough: string; step: string; status: WalkthroughStatus };

export const emptyProgress = (): Progress => ({ rules: {}, visits: {}, visitsFrom: {}, walkthroughs: {}, ledger: {} });

export const fromKey = (from: string, screen: string) => `${from} > ${screen}`;

const ruleOf = (p: Progress, id: string): RuleProgress => p.rules[id] ?? { shown: 0, dismissed: false, actions: 0 };

/** Pure: the progress after an event, on `day` ("2026-11-28"). */
export function applyProgressEvent(p: Progress, event: ProgressEvent, day: string): Progress {
  switch (event.type) {
    case 'visit': {
      const next = { ...p, visits: { ...p.visits, [event.screen]: (p.visits[event.screen] ?? 0) + 1 } };
      if (event.from) {
        const key = fromKey(event.from, event.screen);
        next.visitsFrom = { ...p.visitsFrom, [key]: (p.visitsFrom[key] ?? 0) + 1 };
      }
      return next;
    }
    case 'shown': {
      const r = ruleOf(p, event.rule);
      return { ...p, rules: { ...p.rules, [event.rule]: { ...r, shown: r.shown + 1, lastShownDay: day } } };
    }
    case 'dismissed': {
      const r = ruleOf(p, event.rule);
      return { ...p, rules: { ...p.rules, [event.rule]: { ...r, dismissed: true } } };
    }
    case 'action': {
      const r = ruleOf(p, event.rule);
      const month = day.slice(0, 7);
      const credited = r.shown > 0 ? event.seconds : 0;
      return {
        ...p,
        rules: { ...p.rules, [event.rule]: { ...r, actions: r.actions + 1 } },
        ledger: credited ? { ...p.ledger, [month]: (p.ledger[month] ?? 0) + credited } : p.ledger,
      };
    }
    case 'walkthrough': {
      const w = p.walkthroughs[event.walkthrough] ?? { completed: false };
      const walkthroughs = {
        ...p.walkthroughs,
        [event.walkthrough]: { completed: w.completed || event.status === 'completed', step: event.step },
      };
      const { active: _previous, ...rest } = p;
      if (event.status === 'active' || event.status === 'snoozed') {
        return { ...rest, walkthroughs, active: { walkthrough: event.walkthrough, step: event.step, snoozed: event.status === 'snoozed' } };
      }
      // Completed or exited: it is no longer in progress (another one may be, untouched).
      return p.active && p.active.walkthrough !== event.walkthrough ? { ...rest, walkthroughs, active: p.active } : { ...rest, walkthroughs };
    }
  }
}
