/**
 * "The team" as an insights source: the collector's manager API (collector/README.md), fetched
 * from the insights page with the manager token. Every answer is checked with the shared zod
 * schemas; the tables arrive already suppressed by the collector (the same tables.ts and
 * suppression.ts). A trend is one request per whole period: consecutive, never overlapping.
 */
import { commentsResponseSchema, insightsInfoSchema, insightsResponseSchema, type InsightsInfo } from '../sync/payload';
import type { PublishedTable } from '../privacy/suppression';
import { consecutivePeriods, type InsightsData } from './local';
import { TABLE_KINDS, type TableKind } from './tables';

export interface TeamSource {
  endpoint: string;
  token: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export class TeamError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TeamError';
  }
}

async function get(source: TeamSource, path: string): Promise<unknown> {
  const f = source.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(new URL(path, source.endpoint.endsWith('/') ? source.endpoint : source.endpoint + '/').toString(), {
      headers: { authorization: `Bearer ${source.token}` },
      ...(source.signal && { signal: source.signal }),
    });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new TeamError(`the collector could not be reached (${(error as Error)?.message ?? 'network error'})`);
  }
  if (res.status === 401 || res.status === 403) throw new TeamError('the collector refused the manager token', res.status);
  if (!res.ok) throw new TeamError(`the collector answered ${res.status}`, res.status);
  return res.json();
}

export async function teamInfo(source: TeamSource): Promise<InsightsInfo> {
  const parsed = insightsInfoSchema.safeParse(await get(source, 'v1/insights'));
  if (!parsed.success) throw new TeamError('the collector answered in an unknown format (GET /v1/insights)');
  return parsed.data;
}

export async function teamInsights(source: TeamSource, query: { pack: string; period: string; trend: number; k: number }, info: InsightsInfo): Promise<InsightsData> {
  const q = (period: string) => `?pack=${encodeURIComponent(query.pack)}&period=${encodeURIComponent(period)}`;
  const kinds = TABLE_KINDS.filter((kind) => info.insights.includes(kind));
  const table = async (kind: TableKind, period: string) => {
    const parsed = insightsResponseSchema.safeParse(await get(source, `v1/insights/${kind}${q(period)}`));
    if (!parsed.success) throw new TeamError(`the collector answered in an unknown format (${kind})`);
    return parsed.data;
  };
  const periods = consecutivePeriods(query.period, query.trend);
  const [answers, trend, comments] = await Promise.all([
    Promise.all(kinds.map((kind) => table(kind, query.period))),
    Promise.all(periods.map((p) => table('friction', p))),
    info.insights.includes('comments') ? get(source, `v1/insights/comments${q(query.period)}`) : Promise.resolve(undefined),
  ]);
  const tables: Partial<Record<TableKind, PublishedTable>> = {};
  kinds.forEach((kind, i) => (tables[kind] = answers[i]!.table));
  const first = answers[0] ?? trend[trend.length - 1]!;
  const parsedComments = comments === undefined ? undefined : commentsResponseSchema.safeParse(comments);
  // The collector's k, or ours when policy raised it further (a table published at a lower k is not shown).
  const k = Math.max(info.k, query.k);
  if (info.k < query.k) throw new TeamError(`the collector publishes with k = ${info.k}, below this browser's policy (k = ${query.k})`);
  return {
    source: 'team',
    pack: query.pack,
    period: query.period,
    granularity: first.granularity,
    from: first.from,
    to: first.to,
    k,
    contributors: 'the largest number of distinct contributors on any one day of the period (ids rotate daily)',
    tables,
    trend: trend.map((t) => ({ period: t.period, from: t.from, to: t.to, table: t.table })),
    comments: parsedComments?.success ? parsedComments.data.comments : [],
  };
}
