/**
 * The insights page's views, as plain data: each view is a table of what is shown (the chart
 * draws the same rows) built from PUBLISHED tables only (InsightsData, from either source), so a
 * view can never show more than suppression let through. A value derived from several published
 * numbers (a funnel's "started" over several steps, time saved, a share) is shown only when all
 * of them are shown; otherwise it reads as hidden too.
 *
 * Exports (CSV, JSON) are made from these same rows: exactly what the current view shows.
 */
import type { PublishedTable } from '../privacy/suppression';
import type { InsightsData, PackMeta } from './local';
import { ACTIVE_ROW, STAGE_COL } from './tables';

export const VIEW_IDS = ['friction', 'targets', 'walkthroughs', 'tips', 'stages', 'health', 'feedback'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

/** A shown value: a number, or why it is hidden. */
export type Shown = number | { hidden: 'k' | 'complementary' };

export interface ViewTable {
  id: ViewId;
  title: string;
  columns: string[];
  /** Each row: a label cell (string) then values. */
  rows: (string | Shown)[][];
  /** Extra series for the trend chart (friction only): period → type → value. */
  trend?: { periods: string[]; types: string[]; values: Shown[][] };
  /** Comments users chose to send (feedback only). */
  comments?: { rule: string; kind: string; text: string }[];
}

export interface ViewFilters {
  /** Only rows that are items of this stage's checklist (tips, walkthroughs, targets, stages). */
  stage?: string;
}

export const isHidden = (v: Shown | string | undefined): v is { hidden: 'k' | 'complementary' } => typeof v === 'object' && v !== null;

/** How a hidden value reads: "fewer than k" for a small cell, "hidden" for its protection. */
export function shownText(v: Shown | string, k: number): string {
  if (typeof v === 'string') return v;
  if (isHidden(v)) return v.hidden === 'k' ? `fewer than ${k}` : 'hidden';
  return String(v);
}

/** Read published tables: cells (absent = 0), row totals, column totals. */
export function reader(table: PublishedTable | undefined) {
  const cells = new Map((table?.cells ?? []).map((c) => [c.row + '\u0000' + c.col, c]));
  const rowTotals = new Map((table?.rowTotals ?? []).map((t) => [t.key, t]));
  const colTotals = new Map((table?.colTotals ?? []).map((t) => [t.key, t]));
  const shown = (e: { value: number | null; suppressed: 'k' | 'complementary' | null } | undefined): Shown =>
    e === undefined ? 0 : e.suppressed !== null || e.value === null ? { hidden: e.suppressed ?? 'complementary' } : e.value;
  return {
    rows: table?.rows ?? [],
    cols: table?.cols ?? [],
    cell: (row: string, col: string) => shown(cells.get(row + '\u0000' + col)),
    /** A row that is not in the table had no data: 0. */
    row: (key: string) => (rowTotals.has(key) ? shown(rowTotals.get(key)) : 0),
    col: (key: string) => (colTotals.has(key) ? shown(colTotals.get(key)) : 0),
    total: table ? shown(table.total) : 0,
  };
}

/** a + b, hidden if either is. */
const plus = (a: Shown, b: Shown): Shown => (isHidden(a) ? a : isHidden(b) ? b : a + b);
const sum = (xs: Shown[]): Shown => xs.reduce<Shown>((acc, x) => plus(acc, x), 0);
const map = (a: Shown, f: (n: number) => number): Shown => (isHidden(a) ? a : f(a));

export function buildViews(data: InsightsData, meta: PackMeta | undefined, filters: ViewFilters = {}): ViewTable[] {
  const title = (id: string) => meta?.titles[id] ?? id;
  const stage = filters.stage ? meta?.stages.find((s) => s.id === filters.stage) : undefined;
  const inStage = (id: string) => !stage || stage.checklist.includes(id);
  const views: ViewTable[] = [];

  // Friction: screen × type, plus the trend of each type over consecutive whole periods.
  const f = reader(data.tables.friction);
  const trendTypes = [...new Set(data.trend.flatMap((t) => t.table.cols))].sort();
  views.push({
    id: 'friction',
    title: 'Friction by screen and signal type',
    columns: ['screen', ...f.cols, 'total'],
    rows: [...f.rows.map((r) => [title(r), ...f.cols.map((c) => f.cell(r, c)), f.row(r)]), ['total', ...f.cols.map((c) => f.col(c)), f.total]],
    trend: {
      periods: data.trend.map((t) => t.period),
      types: trendTypes,
      values: data.trend.map((t) => {
        const r = reader(t.table);
        return trendTypes.map((type) => r.col(type));
      }),
    },
  });

  // Top friction targets: rule rows by their total (published ones first, largest first).
  const t = reader(data.tables.targets);
  const order = (v: Shown) => (isHidden(v) ? -1 : v);
  const targets = t.rows.filter(inStageOrAny(stage, meta)).sort((a, b) => order(t.row(b)) - order(t.row(a)) || (a < b ? -1 : 1)).slice(0, 20);
  views.push({
    id: 'targets',
    title: 'Top friction targets (contributor-days affected)',
    columns: ['target', 'title', ...t.cols, 'total'],
    rows: targets.map((r) => [r, title(r), ...t.cols.map((c) => t.cell(r, c)), t.row(r)]),
  });

  // Walkthrough funnels: started → each step shown → completed, with drop-off per step.
  const w = reader(data.tables.walkthroughs);
  const funnelRows: (string | Shown)[][] = [];
  for (const walk of meta?.walkthroughs ?? []) {
    if (!inStage(walk.id)) continue;
    const started = sum(walk.steps.map((s) => w.cell(s, 'walkthrough-started')));
    const steps = walk.steps.map((s) => w.cell(s, 'walkthrough-step'));
    const completed = sum(walk.steps.map((s) => w.cell(s, 'walkthrough-completed')));
    const stages: [string, Shown][] = [['started', started], ...walk.steps.map((s, i): [string, Shown] => [`step ${i + 1}: ${title(s)}`, steps[i]!]), ['completed', completed]];
    stages.forEach(([label, value], i) => {
      const before = i === 0 ? undefined : stages[i - 1]![1];
      const drop: Shown | string = before === undefined ? '' : isHidden(before) || isHidden(value) ? { hidden: 'complementary' } : Math.max(0, before - value);
      funnelRows.push([walk.title, label, value, drop]);
    });
  }
  views.push({ id: 'walkthroughs', title: 'Walkthrough funnels', columns: ['walkthrough', 'stage', 'count', 'drop-off'], rows: funnelRows });

  // Tips: shown, dismissed, used, time saved; feedback on them.
  const tips = reader(data.tables.tips);
  const fb = reader(data.tables.feedback);
  const tipIds = [...new Set([...tips.rows, ...Object.keys(meta?.savesSeconds ?? {}).filter((id) => tips.rows.includes(id))])].filter(inStage);
  views.push({
    id: 'tips',
    title: 'Tips: shown, used, time saved, feedback',
    columns: ['tip', 'title', 'shown', 'dismissed', 'used', 'time saved (min)', 'helpful', 'not helpful', 'wrong'],
    rows: tipIds.map((id) => {
      const used = tips.cell(id, 'tip-used');
      const seconds = meta?.savesSeconds[id];
      const saved: Shown | string = seconds === undefined ? '' : map(used, (n) => Math.round((n * seconds) / 6) / 10);
      return [id, title(id), tips.cell(id, 'tip-shown'), tips.cell(id, 'tip-dismissed'), used, saved, fb.cell(id, 'helpful'), fb.cell(id, 'not-helpful'), fb.cell(id, 'wrong')];
    }),
  });

  // Rollout stages: share of contributor-days with the stage's checklist complete.
  const st = reader(data.tables.stages);
  const active = st.cell(ACTIVE_ROW, STAGE_COL);
  views.push({
    id: 'stages',
    title: 'Rollout stages: share of contributors with the checklist complete',
    columns: ['stage', 'title', 'complete', 'active', 'share (%)'],
    rows: (meta?.stages ?? [])
      .filter((s) => !stage || s.id === stage.id)
      .map((s) => {
        const done = st.cell(s.id, STAGE_COL);
        const share: Shown = isHidden(done) ? done : isHidden(active) ? active : active === 0 ? 0 : Math.round((1000 * done) / active) / 10;
        return [s.id, s.title, done, active, share];
      }),
  });

  // Rule health: rules whose targets went missing.
  const h = reader(data.tables.health);
  views.push({
    id: 'health',
    title: 'Rule health: rules whose targets went missing',
    columns: ['rule', 'title', 'missing'],
    rows: h.rows.filter((r) => r.includes('#') || r.includes('.')).filter(inStageOrAny(stage, meta)).map((r) => [r, title(r), h.cell(r, 'rule-missing')]),
  });

  // Feedback by kind, and the comments users chose to send.
  views.push({
    id: 'feedback',
    title: 'Feedback by kind',
    columns: ['kind', 'count'],
    rows: fb.cols.map((c) => [c, fb.col(c)]),
    comments: data.comments,
  });
  return views;
}

/** Rows (rule ids) that belong to a stage: its tips, and the rules of its walkthroughs' screens. */
function inStageOrAny(stage: PackMeta['stages'][number] | undefined, meta: PackMeta | undefined) {
  if (!stage || !meta) return () => true;
  const steps = new Set(meta.walkthroughs.filter((w) => stage.checklist.includes(w.id)).flatMap((w) => w.steps));
  return (id: string) => stage.checklist.includes(id) || steps.has(id);
}

// ---------------------------------------------------------------- export

export const EXPORT_SCHEMA = 'crm-coach-insights/1';

export interface ExportContext {
  pack: string;
  from: string;
  to: string;
  period: string;
  sources: string[];
  k: number;
  contributors: string;
}

/** One CSV field (RFC 4180): quoted when needed; a leading = + - @ is defused with '. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The view as CSV: UTF-8 with BOM, CRLF, ISO dates. Every line starts with the period's first and
 * last day, the sources and k (so files stack into one sheet and say what they are).
 */
export function viewCsv(view: ViewTable, ctx: ExportContext): string {
  const lead = [ctx.from, ctx.to, ctx.sources.join('+'), ctx.k];
  const lines: (string | number)[][] = [['from', 'to', 'sources', 'k', ...view.columns]];
  for (const row of view.rows) lines.push([...lead, ...row.map((v) => shownText(v, ctx.k))]);
  if (view.comments) for (const c of view.comments) lines.push([...lead, `comment: ${c.kind}`, `${c.rule}: ${c.text}`]);
  return '\uFEFF' + lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function viewJson(view: ViewTable, ctx: ExportContext): string {
  const value = (v: string | Shown) => (typeof v === 'string' || typeof v === 'number' ? v : { hidden: true, reason: v.hidden === 'k' ? `fewer than ${ctx.k}` : 'complementary' });
  return JSON.stringify(
    {
      schema: EXPORT_SCHEMA,
      view: view.id,
      title: view.title,
      pack: ctx.pack,
      period: ctx.period,
      from: ctx.from,
      to: ctx.to,
      sources: ctx.sources,
      k: ctx.k,
      contributors: ctx.contributors,
      columns: view.columns,
      rows: view.rows.map((r) => r.map(value)),
      ...(view.trend && { trend: { periods: view.trend.periods, types: view.trend.types, values: view.trend.values.map((r) => r.map(value)) } }),
      ...(view.comments && { comments: view.comments }),
    },
    null,
    2,
  );
}
