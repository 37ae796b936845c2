import { describe, expect, it } from 'vitest';
import type { CompiledTip, CompiledTooltip } from '../../lib/rules/compiled';
import { gate, type GatingContext } from '../../lib/progress/gating';
import { applyProgressEvent, emptyProgress, type ProgressEvent } from '../../lib/progress/progress';

const tooltip = (over: Partial<CompiledTooltip> = {}): CompiledTooltip => ({
  kind: 'tooltip',
  id: 'p/s.tooltips#t',
  screen: 'p/s',
  target: [{ css: 'a' }],
  text: 'x',
  placement: 'auto',
  ifMissing: { wait: 1, then: 'skip' },
  frequency: 'until-dismissed',
  display: 'tooltip',
  source: { file: 'p/s.tooltips.yaml', line: 1 },
  ...over,
});
const tip = (over: Partial<CompiledTip> = {}): CompiledTip => ({
  ...tooltip(),
  kind: 'tip',
  id: 'p/s.tips#t',
  replaces: 'slow way',
  savesSeconds: 30,
  action: { kind: 'screen', screen: 'p/s' },
  mastery: 2,
  ...over,
});

const ctx = (events: ProgressEvent[] = [], over: Partial<GatingContext> = {}): GatingContext => ({
  progress: events.reduce((p, e) => applyProgressEvent(p, e, '2026-11-28'), emptyProgress()),
  locale: 'nb-NO',
  today: '2026-11-28',
  ...over,
});

describe('gate', () => {
  it('shows a plain tooltip', () => expect(gate(tooltip(), ctx())).toEqual({ show: true }));

  it.each([
    ['once', [{ type: 'shown', rule: 'p/s.tooltips#t' }], 'shown once already'],
    ['daily', [{ type: 'shown', rule: 'p/s.tooltips#t' }], 'shown today already'],
    ['until-dismissed', [{ type: 'dismissed', rule: 'p/s.tooltips#t' }], 'dismissed'],
  ] as const)('caps frequency %s', (frequency, events, reason) => {
    expect(gate(tooltip({ frequency }), ctx())).toEqual({ show: true });
    expect(gate(tooltip({ frequency }), ctx([...events]))).toEqual({ show: false, reason });
  });

  it('daily shows again the next day', () => {
    const c = ctx([{ type: 'shown', rule: 'p/s.tooltips#t' }], { today: '2026-11-29' });
    expect(gate(tooltip({ frequency: 'daily' }), c)).toEqual({ show: true });
  });

  it('until-completed ends with the related walkthrough', () => {
    const rule = tooltip({ frequency: 'until-completed', walkthrough: 'p/w.walkthrough' });
    expect(gate(rule, ctx([{ type: 'dismissed', rule: rule.id }]))).toEqual({ show: true });
    expect(gate(rule, ctx([{ type: 'walkthrough', walkthrough: 'p/w.walkthrough', step: 'p/w.walkthrough#a', status: 'completed' }]))).toEqual({
      show: false,
      reason: 'walkthrough completed',
    });
  });

  it('retires a tip once mastered', () => {
    const t = tip();
    const used = { type: 'action', rule: t.id, seconds: 30 } as const;
    expect(gate(t, ctx([used]))).toEqual({ show: true });
    expect(gate(t, ctx([used, used]))).toEqual({ show: false, reason: 'mastered' });
  });

  it('waits for N visits, optionally from a given screen', () => {
    const rule = tooltip({ when: { trigger: 'screen', after: { visits: 'p/record', from: 'p/search', times: 3 } } });
    const viaSearch = { type: 'visit', screen: 'p/record', from: 'p/search' } as const;
    const viaList = { type: 'visit', screen: 'p/record', from: 'p/list' } as const;
    expect(gate(rule, ctx([viaSearch, viaSearch, viaList, viaList]))).toEqual({ show: false, reason: '2 of 3 visits' });
    expect(gate(rule, ctx([viaSearch, viaSearch, viaSearch]))).toEqual({ show: true });
  });

  it('honours stage, audience and locale', () => {
    const rule = tooltip({ when: { trigger: 'screen', stages: ['pilot'], audience: ['sales'], locales: ['nb'] } });
    expect(gate(rule, ctx([], { liveStage: 'pilot', audience: 'sales' }))).toEqual({ show: true });
    expect(gate(rule, ctx([], { liveStage: 'later', audience: 'sales' }))).toMatchObject({ reason: 'stage not live' });
    expect(gate(rule, ctx([], { liveStage: 'pilot', audience: 'support' }))).toMatchObject({ reason: 'not for this audience' });
    expect(gate(rule, ctx([], { liveStage: 'pilot', audience: 'sales', locale: 'en-GB' }))).toMatchObject({ reason: 'not for this language' });
  });
});

describe('progress ledger', () => {
  it('credits time saved only once the tip had been shown, by month', () => {
    const events: ProgressEvent[] = [
      { type: 'action', rule: 'p/s.tips#t', seconds: 30 }, // before the tip was ever shown: not its credit
      { type: 'shown', rule: 'p/s.tips#t' },
      { type: 'action', rule: 'p/s.tips#t', seconds: 30 },
      { type: 'action', rule: 'p/s.tips#t', seconds: 30 },
    ];
    const p = events.reduce((acc, e) => applyProgressEvent(acc, e, '2026-11-28'), emptyProgress());
    expect(p.ledger).toEqual({ '2026-11': 60 });
    expect(p.rules['p/s.tips#t']).toEqual({ shown: 1, lastShownDay: '2026-11-28', dismissed: false, actions: 3 });
  });
});
