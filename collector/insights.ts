/**
 * The manager's tables: each is one question over its own signal types (targets: friction by
 * target, see lib/insights/tables.ts), read from storage's per-day totals,
 * and passed through lib/privacy/suppression.ts before anything leaves.
 *
 * Contributors are counted per day (ids rotate daily and cannot be linked): a cell's count is
 * the largest number of distinct contributors on any one day of the period, the only number
 * that is certainly a number of distinct installs. Row, column and table totals carry their
 * own per-day distinct counts (kept when batches arrive), never sums of their cells'.
 * The tables and "per-day rows → published table" are lib/insights/tables.ts, shared with the
 * extension's insights page; a trend is read as consecutive whole periods, one request each.
 */
import { FEEDBACK_KINDS } from '../lib/messages';
import { DIMENSIONS, tableFromCube as sharedTableFromCube } from '../lib/insights/tables';
import type { PublishedTable } from '../lib/privacy/suppression';
import { PAYLOAD_FORMAT, type CommentsResponse, type InsightsResponse, type Period } from '../lib/sync/payload';
import type { CubeResult, Storage, TableKind } from './storage';

/** What the rows and columns of each table are (lib/insights/tables.ts). */
export { DIMENSIONS };

/** Per-day rows from storage → a suppressed, publishable table (the shared implementation). */
export function tableFromCube(cube: CubeResult, k: number): PublishedTable {
  return sharedTableFromCube(cube, k, 'busiest-day');
}

/** One pack, one whole period (the collector's granularity). */
export interface InsightScope {
  pack: string;
  period: string;
  range: Period;
}

const scopeFields = (scope: InsightScope) => ({
  pack: scope.pack,
  period: scope.period,
  granularity: scope.range.granularity,
  from: scope.range.from,
  to: scope.range.to,
});

export async function tableInsight(storage: Storage, kind: TableKind, scope: InsightScope, k: number): Promise<InsightsResponse> {
  const cube = await storage.cube({ pack: scope.pack, table: kind, from: scope.range.from, to: scope.range.to });
  return {
    format: PAYLOAD_FORMAT,
    insight: kind,
    ...scopeFields(scope),
    ...DIMENSIONS[kind],
    table: tableFromCube(cube, k),
  };
}

/**
 * Comments users chose to send, for rules whose feedback (any kind) came from at least k
 * contributors on one day of the period: a comment hides among at least k people who gave
 * feedback on the same thing. No day, no order of arrival (sorted by rule, kind, text).
 */
export async function commentsInsight(storage: Storage, scope: InsightScope, k: number): Promise<CommentsResponse> {
  const range = { pack: scope.pack, from: scope.range.from, to: scope.range.to };
  const cube = await storage.cube({ ...range, table: 'feedback' });
  const crowd = new Map<string, number>();
  for (const r of cube.rows) crowd.set(r.key, Math.max(crowd.get(r.key) ?? 0, r.contributors));
  const kinds: readonly string[] = FEEDBACK_KINDS;
  const comments = (await storage.comments(range))
    .filter((c) => (crowd.get(c.rule) ?? 0) >= k && kinds.includes(c.kind))
    .map((c) => ({ rule: c.rule, kind: c.kind as (typeof FEEDBACK_KINDS)[number], text: c.text }));
  return { format: PAYLOAD_FORMAT, insight: 'comments', ...scopeFields(scope), k, comments };
}

// ---------------------------------------------------------------- CSV (RFC 4180)

export const SUPPRESSED_CSV = 'suppressed';

/** One field: quoted when needed; a leading = + - @ (a spreadsheet formula) is defused with '. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (lines: (string | number)[][]): string => '\uFEFF' + lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';

/**
 * The table as a spreadsheet: header "from,to,<row dimension>,<col 1>,…,total", one line per row
 * with its total, a last line "total". Every line starts with the period's first and last day
 * (ISO dates), so that several periods' files can be stacked into one sheet. A suppressed value
 * reads "suppressed"; a cell with no data, 0. UTF-8 with a byte order mark, CRLF line ends.
 */
export function tableCsv(response: InsightsResponse): string {
  const { table } = response;
  const shown = (e: { value: number | null } | undefined) => (e === undefined ? 0 : e.value === null ? SUPPRESSED_CSV : e.value);
  const cell = new Map(table.cells.map((c) => [JSON.stringify([c.row, c.col]), c]));
  const rowTotal = new Map(table.rowTotals.map((t) => [t.key, t]));
  const colTotal = new Map(table.colTotals.map((t) => [t.key, t]));
  const period = [response.from, response.to];
  const lines: (string | number)[][] = [['from', 'to', response.rowDimension, ...table.cols, 'total']];
  for (const row of table.rows) {
    lines.push([...period, row, ...table.cols.map((col) => shown(cell.get(JSON.stringify([row, col])))), shown(rowTotal.get(row))]);
  }
  lines.push([...period, 'total', ...table.cols.map((col) => shown(colTotal.get(col))), shown(table.total)]);
  return csv(lines);
}

export function commentsCsv(response: CommentsResponse): string {
  return csv([['from', 'to', 'rule', 'kind', 'text'], ...response.comments.map((c) => [response.from, response.to, c.rule, c.kind, c.text])]);
}
