/**
 * "This browser" as an insights source: the background answers `insights:*` messages from our own
 * pages (entrypoints/background.ts routes the prefix here) with PUBLISHED tables only: the daily
 * rollups never leave the background, and every table has been through lib/privacy/suppression.ts
 * with k = minK(policy) before the page sees it.
 *
 * Contributors here are contributor-days: each day of this browser's rollups is one contributor
 * (the collector counts distinct contributor ids per day; ids rotate daily, so a day is its unit
 * too). 30 days of local data = 30 contributor-days; 3 days = only suppressed cells.
 *
 *   insights:meta    → { k, packs: PackMeta[] }       titles, tips' seconds, stages, walkthroughs
 *   insights:local   → InsightsData                   one pack, one whole period + a trend of the
 *                                                     N consecutive whole periods ending with it
 */
import { z } from 'zod';
import type { CompiledPack, Text } from '../rules/compiled';
import type { PublishedTable } from '../privacy/suppression';
import { parsePeriod, periodOf, PERIOD_GRANULARITIES, type AggregateRow, type Period } from '../sync/payload';
import { tableFromCube, TABLE_KINDS, type CubeResult, type TableKind } from './tables';
import { periodCubes, type PeriodCube } from './period-cubes';

export const MAX_TREND = 12;

export const insightsMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('insights:meta') }),
  z.strictObject({
    type: z.literal('insights:local'),
    pack: z.string().regex(/^[a-z0-9-]+$/).max(64),
    period: z.string().max(10).refine((p) => parsePeriod(p) !== undefined, { message: 'a period is YYYY-MM, YYYY-Www or YYYY-MM-DD' }),
    trend: z.number().int().min(1).max(MAX_TREND).default(6),
  }),
]);
export type InsightsMessage = z.input<typeof insightsMessageSchema>;

/** What the page needs from a pack to name things: no rule text, only titles and numbers. */
export interface PackMeta {
  id: string;
  crm: string;
  name: string;
  titles: Record<string, string>;
  /** Tip id → seconds its faster path saves. */
  savesSeconds: Record<string, number>;
  stages: { id: string; title: string; checklist: string[] }[];
  walkthroughs: { id: string; title: string; steps: string[] }[];
}

const english = (t: Text | undefined): string | undefined => (t === undefined ? undefined : typeof t === 'string' ? t : (t.en ?? Object.values(t)[0]));

export function packMeta(pack: CompiledPack): PackMeta {
  const titles: Record<string, string> = {};
  for (const s of pack.screens) titles[s.id] = english(s.title) ?? s.id;
  for (const r of pack.rules) titles[r.id] = english(r.title) ?? (r.kind === 'tip' ? english(r.replaces) : undefined) ?? r.id;
  for (const w of pack.walkthroughs) {
    titles[w.id] = english(w.title) ?? w.id;
    w.steps.forEach((s, i) => (titles[s.id] = `${english(w.title) ?? w.id} · ${english(s.title) ?? `step ${i + 1}`}`));
  }
  for (const s of pack.stages) titles[s.id] = english(s.title) ?? s.id;
  const savesSeconds: Record<string, number> = {};
  for (const r of pack.rules) if (r.kind === 'tip') savesSeconds[r.id] = r.savesSeconds;
  return {
    id: pack.id,
    crm: pack.crm,
    name: english(pack.name) ?? pack.id,
    titles,
    savesSeconds,
    stages: pack.stages.map((s) => ({ id: s.id, title: english(s.title) ?? s.id, checklist: s.checklist.map((c) => ('walkthrough' in c ? c.walkthrough : c.tip)) })),
    walkthroughs: pack.walkthroughs.map((w) => ({ id: w.id, title: english(w.title) ?? w.id, steps: w.steps.map((s) => s.id) })),
  };
}

export interface PeriodTable {
  period: string;
  from: string;
  to: string;
  table: PublishedTable;
}

/** One source's answer for one pack and period: the same shape for this browser and the team. */
export interface InsightsData {
  source: 'local' | 'team';
  pack: string;
  period: string;
  granularity: Period['granularity'];
  from: string;
  to: string;
  k: number;
  /** How contributors are counted (shown on the page and in exports). */
  contributors: string;
  tables: Partial<Record<TableKind, PublishedTable>>;
  /** Friction per period, the selected one last: consecutive whole periods, never overlapping. */
  trend: PeriodTable[];
  comments: { rule: string; kind: string; text: string }[];
}

const DAY_MS = 86_400_000;

/** The `n` consecutive whole periods ending with `period` (oldest first). */
export function consecutivePeriods(period: string, n: number): string[] {
  const range = parsePeriod(period);
  if (!range) throw new RangeError(`not a period: ${period}`);
  const out = [period];
  let from = range.from;
  while (out.length < n) {
    const before = periodOf(new Date(Date.parse(from) - DAY_MS).toISOString().slice(0, 10), range.granularity);
    out.unshift(before);
    from = parsePeriod(before)!.from;
  }
  return out;
}

export const LOCAL_CONTRIBUTORS = 'contributor-days: each day of this browser’s data counts as one contributor';

/**
 * This browser's insights for one pack and period. `rollups` must cover the trend's periods
 * (listRollups(db, { from: first period's first day, to: period's last day })).
 */
export function localInsights(
  rollups: readonly AggregateRow[],
  query: { pack: string; period: string; trend: number; k: number },
  comments: readonly LocalComment[] = [],
): InsightsData {
  const range = parsePeriod(query.period);
  if (!range) throw new RangeError(`not a period: ${query.period}`);
  const periods = consecutivePeriods(query.period, query.trend);
  return insightsFromCubes(periodCubes(rollups, query.pack, range.granularity, periods), query, comments);
}

export interface LocalComment {
  pack: string;
  rule: string;
  kind: string;
  text: string;
  day: string;
  shared: boolean;
}

/**
 * The published answer from per-period cubes (lib/insights/period-cubes.ts): `cubes` holds one
 * cube for each of the trend's periods (missing ones count as empty).
 */
export function insightsFromCubes(
  cubes: ReadonlyMap<string, PeriodCube>,
  query: { pack: string; period: string; trend: number; k: number },
  comments: readonly LocalComment[] = [],
): InsightsData {
  const range = parsePeriod(query.period);
  if (!range) throw new RangeError(`not a period: ${query.period}`);
  const empty: CubeResult = { cells: [], rows: [], cols: [], total: [] };
  const selected = cubes.get(query.period);
  const tables: Partial<Record<TableKind, PublishedTable>> = {};
  for (const kind of TABLE_KINDS) tables[kind] = tableFromCube(selected?.[kind] ?? empty, query.k, 'contributor-days');
  const trend = consecutivePeriods(query.period, query.trend).map((period) => {
    const p = parsePeriod(period)!;
    return { period, from: p.from, to: p.to, table: tableFromCube(cubes.get(period)?.friction ?? empty, query.k, 'contributor-days') };
  });
  // Comments the user chose to send, only where that rule's feedback came from ≥ k contributor-days.
  const crowd = new Map<string, number>();
  for (const r of selected?.feedback.rows ?? []) crowd.set(r.key, (crowd.get(r.key) ?? 0) + r.contributors);
  const shown = comments
    .filter((c) => c.shared && c.pack === query.pack && c.day >= range.from && c.day <= range.to && (crowd.get(c.rule) ?? 0) >= query.k)
    .map((c) => ({ rule: c.rule, kind: c.kind, text: c.text }))
    .sort((a, b) => (a.rule + a.kind + a.text < b.rule + b.kind + b.text ? -1 : 1));
  return {
    source: 'local',
    pack: query.pack,
    period: query.period,
    granularity: range.granularity,
    from: range.from,
    to: range.to,
    k: query.k,
    contributors: LOCAL_CONTRIBUTORS,
    tables,
    trend,
    comments: shown,
  };
}

export const GRANULARITIES = PERIOD_GRANULARITIES;
