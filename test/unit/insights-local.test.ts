import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { consecutivePeriods, localInsights } from '../../lib/insights/local';
import { progressSignals, stageComplete } from '../../lib/insights/progress-signals';
import { ACTIVE_ROW, STAGE_COL, TABLE_KINDS } from '../../lib/insights/tables';
import { buildViews, isHidden, viewCsv } from '../../lib/insights/views';
import { derivableEntries } from '../../lib/privacy/suppression';
import { parsePeriod, type AggregateRow } from '../../lib/sync/payload';
import { emptyProgress } from '../../lib/progress/progress';
import type { CompiledPack } from '../../lib/rules/compiled';

const day = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 86_400_000).toISOString().slice(0, 10);
const row = (d: string, o: Partial<AggregateRow>): AggregateRow =>
  ({ day: d, crm: 'demo', pack: 'demo', packVersion: '1.0.0', screen: 'demo/contacts', type: 'rage-click', count: 1, ...o }) as AggregateRow;

/** `days` days of the same busy usage. */
function usage(days: number): AggregateRow[] {
  const out: AggregateRow[] = [];
  for (let i = 0; i < days; i += 1) {
    out.push(
      row(day(i), { type: 'rage-click', count: 3, rule: 'demo/contacts.tooltips#a' }),
      row(day(i), { type: 'dead-click', screen: 'demo/deals', count: 2 }),
      row(day(i), { type: 'tip-shown', rule: 'demo/contacts.tips#t', count: 2 }),
      row(day(i), { type: 'tip-used', rule: 'demo/contacts.tips#t', count: 1 }),
      row(day(i), { type: 'stage-complete', rule: 'week-1', count: 1 }),
    );
  }
  return out;
}

describe('local insights (this browser: a day is a contributor-day)', () => {
  it('30 days: cells are published; 3 days: every cell and total is hidden', () => {
    const thirty = localInsights(usage(30), { pack: 'demo', period: '2026-11', trend: 3, k: 5 });
    const friction = thirty.tables.friction!;
    expect(friction.cells).toContainEqual({ row: 'demo/contacts', col: 'rage-click', value: 90, suppressed: null });
    expect(thirty.tables.tips!.cells).toContainEqual({ row: 'demo/contacts.tips#t', col: 'tip-used', value: 30, suppressed: null });
    expect(thirty.tables.stages!.cells).toEqual(
      expect.arrayContaining([
        { row: ACTIVE_ROW, col: STAGE_COL, value: 30, suppressed: null },
        { row: 'week-1', col: STAGE_COL, value: 30, suppressed: null },
      ]),
    );
    // Targets count contributor-days affected (not the 3 signals a day): 30.
    expect(thirty.tables.targets!.cells).toContainEqual({ row: 'demo/contacts.tooltips#a', col: 'rage-click', value: 30, suppressed: null });

    const three = localInsights(usage(3), { pack: 'demo', period: '2026-11', trend: 3, k: 5 });
    for (const kind of TABLE_KINDS) {
      const t = three.tables[kind]!;
      for (const e of [...t.cells, ...t.rowTotals, ...t.colTotals, t.total]) expect(e.value).toBeNull();
    }
    const views = buildViews(three, undefined);
    for (const v of views) for (const r of v.rows) for (const x of r.slice(1)) if (typeof x === 'number') expect(x).toBe(0);
  });

  it('the trend is consecutive whole periods that never overlap', () => {
    const months = consecutivePeriods('2026-03', 4);
    expect(months).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
    const weeks = consecutivePeriods('2026-W02', 3).map((p) => parsePeriod(p)!);
    for (let i = 1; i < weeks.length; i += 1) expect(Date.parse(weeks[i]!.from) - Date.parse(weeks[i - 1]!.to)).toBe(86_400_000);
  });

  it('k from policy raises the floor: with k = 31, 30 days are hidden', () => {
    const data = localInsights(usage(30), { pack: 'demo', period: '2026-11', trend: 1, k: 31 });
    expect(data.tables.friction!.cells.every((c) => c.value === null)).toBe(true);
  });

  it('property: no shown value comes from fewer than k contributor-days, and none hidden can be derived', () => {
    const arbRow = fc.record({
      d: fc.integer({ min: 0, max: 29 }),
      screen: fc.constantFrom('demo/a', 'demo/b', 'demo/c'),
      type: fc.constantFrom('rage-click', 'dead-click', 'error-banner'),
      count: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 80 }), fc.integer({ min: 5, max: 8 }), (list, k) => {
        const merged = new Map<string, AggregateRow>();
        for (const r of list) {
          const key = [r.d, r.screen, r.type].join('|');
          const have = merged.get(key);
          if (have) have.count += r.count;
          else merged.set(key, row(day(r.d), { screen: r.screen, type: r.type as AggregateRow['type'], count: r.count }));
        }
        const rows = [...merged.values()];
        const data = localInsights(rows, { pack: 'demo', period: '2026-11', trend: 1, k });
        const t = data.tables.friction!;
        // (An empty table's hidden total is the 0 of no data: there is nothing to protect.)
        if (t.cells.length > 0) expect(derivableEntries(t)).toEqual([]);
        // Ground truth: contributor-days per cell, computed independently.
        for (const c of t.cells) {
          if (c.value === null) continue;
          const days = new Set(rows.filter((r) => r.screen === c.row && r.type === c.col).map((r) => r.day));
          expect(days.size).toBeGreaterThanOrEqual(k);
          expect(c.value).toBe(rows.filter((r) => r.screen === c.row && r.type === c.col).reduce((a, r) => a + r.count, 0));
        }
        // What the page shows and exports is exactly the published values.
        const csv = viewCsv(buildViews(data, undefined)[0]!, { pack: 'demo', period: '2026-11', from: data.from, to: data.to, sources: ['this browser'], k, contributors: '' });
        const published = new Set(t.cells.filter((c) => c.value !== null).map((c) => String(c.value)));
        for (const line of csv.slice(1).trim().split('\r\n').slice(1, -1)) {
          for (const field of line.split(',').slice(5, -1)) expect(field === '0' || field.startsWith('fewer than') || field === 'hidden' || published.has(field)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('views and export', () => {
  it('CSV: BOM, CRLF, period, sources and k on every line; hidden cells say so; formulas defused', () => {
    const data = localInsights(usage(30).concat(usage(2).map((r) => ({ ...r, screen: '=cmd' }) as AggregateRow)), { pack: 'demo', period: '2026-11', trend: 1, k: 5 });
    const csv = viewCsv(buildViews(data, undefined)[0]!, { pack: 'demo', period: '2026-11', from: data.from, to: data.to, sources: ['this browser'], k: 5, contributors: 'x' });
    expect(csv.startsWith('\uFEFFfrom,to,sources,k,screen,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    for (const l of lines.slice(1)) expect(l.startsWith('2026-11-01,2026-11-30,this browser,5,')).toBe(true);
    expect(csv).toContain("'=cmd");
    expect(csv).toContain('fewer than 5');
  });

  it('time saved = tip-used × the tip’s seconds; stage share = complete / active', () => {
    const data = localInsights(usage(30), { pack: 'demo', period: '2026-11', trend: 1, k: 5 });
    const meta = { id: 'demo', crm: 'demo', name: 'Demo', titles: {}, savesSeconds: { 'demo/contacts.tips#t': 90 }, stages: [{ id: 'week-1', title: 'Week 1', checklist: [] }], walkthroughs: [] };
    const views = buildViews(data, meta);
    const tips = views.find((v) => v.id === 'tips')!;
    expect(tips.rows[0]![5]).toBe(45); // 30 uses × 90 s = 45 min
    const stages = views.find((v) => v.id === 'stages')!;
    expect(stages.rows[0]).toEqual(['week-1', 'Week 1', 30, 30, 100]);
    expect(isHidden(stages.rows[0]![4])).toBe(false);
  });
});

describe('progress signals', () => {
  const pack = {
    id: 'demo', crm: 'demo', version: '1.0.0',
    screens: [{ id: 'demo/contacts' }],
    rules: [{ id: 'demo/contacts.tips#t', kind: 'tip', screen: 'demo/contacts', savesSeconds: 30 }],
    walkthroughs: [],
    stages: [{ id: 'week-1', title: 'W', checklist: [{ tip: 'demo/contacts.tips#t' }] }, { id: 'empty', title: 'E', checklist: [] }],
  } as unknown as CompiledPack;

  it('an action gives tip-used; a complete checklist gives stage-complete with a per-day uid', () => {
    const before = emptyProgress();
    expect(progressSignals({ type: 'visit', screen: 'demo/contacts' }, [pack], before, '2026-11-02')).toEqual([]);
    const after = { ...before, rules: { 'demo/contacts.tips#t': { shown: 1, dismissed: false, actions: 1 } } };
    const out = progressSignals({ type: 'action', rule: 'demo/contacts.tips#t', seconds: 30 }, [pack], after, '2026-11-02');
    expect(out.map((s) => [s.type, s.rule, s.screen, s.uid])).toEqual([
      ['tip-used', 'demo/contacts.tips#t', 'demo/contacts', undefined],
      ['stage-complete', 'week-1', 'demo/contacts', 'stage-complete:2026-11-02:demo:week-1'],
    ]);
    expect(stageComplete(pack.stages[1]!, after)).toBe(false);
    expect(progressSignals({ type: 'visit', screen: 'other/x' }, [pack], after, '2026-11-02')).toEqual([]);
  });
});
