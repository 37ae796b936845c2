/**
 * The background's handler for `insights:*` messages (our own pages only: the prefix is routed in
 * entrypoints/background.ts). Reads this browser's daily rollups through the signal store's one
 * connection and answers with published tables only (lib/insights/local.ts).
 *
 * Speed (issue 8; docs/insights.md): per query, only the periods not in the cache are read, and
 * only the selected pack's rows of their days (lib/insights/read-rollups.ts); finished periods'
 * cubes are kept in memory for the life of the service worker AND in the database (store
 * periodCubes, so a cold worker does not re-read a year of rollups), both checked against a
 * change token on every query (lib/insights/period-cubes.ts). Rollups written other than with their signals
 * (addSignals) are not seen by the token: tests that seed rollups directly restart the worker or
 * store a signal for each day they change.
 */
import type { CompiledPack } from '../rules/compiled';
import { dayOf } from '../day';
import { minK, type ReadPolicy } from '../policy/policy';
import { getPeriodCubes, listComments, listRollups, putPeriodCubes, reconcilePeriodCubes, type CoachDatabase, type StoredPeriodCube } from '../store/database';
import { parsePeriod } from '../sync/payload';
import { consecutivePeriods, insightsFromCubes, insightsMessageSchema, packMeta } from './local';
import { checkToken, holdsAnyDay, isFinished, PeriodCubeCache, periodCubes, type ChangeToken, type PeriodCube } from './period-cubes';
import { changeToken, daysBetween, readPackRollups, signalDaysAfter } from './read-rollups';

export interface InsightsDeps {
  db: <T>(op: (db: CoachDatabase) => Promise<T>) => Promise<T>;
  packs: () => Promise<readonly CompiledPack[]>;
  policy: () => Promise<ReadPolicy>;
  /** Today, "YYYY-MM-DD" (UTC): which periods are finished. */
  today?: () => string;
}

export function createInsightsHandler(deps: InsightsDeps) {
  const cache = new PeriodCubeCache();
  const today = deps.today ?? (() => dayOf(new Date()));
  return async function handleInsights(raw: unknown): Promise<unknown> {
    const parsed = insightsMessageSchema.safeParse(raw);
    if (!parsed.success) {
      return { error: `malformed insights message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
    }
    const message = parsed.data;
    const { policy } = await deps.policy();
    const k = minK(policy);
    if (message.type === 'insights:meta') {
      return {
        k,
        packs: (await deps.packs()).map(packMeta),
        team: {
          ...(policy.syncEndpoint !== undefined && { endpoint: policy.syncEndpoint }),
          ...(policy.managerToken !== undefined && { token: policy.managerToken }),
          locked: policy.syncEndpoint !== undefined || policy.managerToken !== undefined,
        },
      };
    }
    const { pack, period, trend } = message;
    const granularity = parsePeriod(period)!.granularity;
    const crm = (await deps.packs()).find((p) => p.id === pack)?.crm;
    const now = today();
    const periods = consecutivePeriods(period, trend).map((p) => ({ period: p, ...parsePeriod(p)!, finished: isFinished(p, now) }));
    const { cubes, comments } = await deps.db(async (db) => {
      // Bring the cache up to date first; the token is read before the rollups that fill it.
      const token = await changeToken(db);
      // Both caches usually lag by the same signals: read their days once per id.
      const daysAfter = new Map<number, Promise<Set<string> | undefined>>();
      const touchedDays = (id: number) => daysAfter.get(id) ?? daysAfter.set(id, signalDaysAfter(db, id)).get(id)!;
      const check = cache.check(token);
      if (check.action === 'clear') cache.clear();
      else if (check.action === 'days-after') {
        const days = await touchedDays(check.id);
        if (days) cache.dropDays(days);
        else cache.clear();
      }
      cache.accept(token);
      // The stored cubes (a cold worker's cache) follow the same rule, in the database.
      await reconcilePeriodCubes(db, token, async (stored: ChangeToken | undefined) => {
        const verdict = checkToken(stored, token);
        if (verdict.action !== 'days-after') return verdict.action;
        const days = await touchedDays(verdict.id);
        if (!days) return 'clear';
        const touched = [...days];
        return (_pack, period) => {
          const range = parsePeriod(period);
          return range === undefined || holdsAnyDay(range, touched);
        };
      });
      const cubes = new Map<string, PeriodCube>();
      let missing: typeof periods = [];
      for (const p of periods) {
        const hit = p.finished ? cache.get(pack, p.period) : undefined;
        if (hit) cubes.set(p.period, hit);
        else missing.push(p);
      }
      const storedCubes = await getPeriodCubes(db, pack, missing.filter((p) => p.finished).map((p) => p.period));
      for (const [period, cube] of storedCubes) {
        cubes.set(period, cube as PeriodCube);
        cache.set(pack, period, cube as PeriodCube);
      }
      missing = missing.filter((p) => !storedCubes.has(p.period));
      const [rows, comments] = await Promise.all([
        missing.length === 0
          ? Promise.resolve([])
          : crm !== undefined
            ? readPackRollups(db, { crm, pack, days: missing.flatMap((p) => daysBetween(p.from, p.to)) })
            : // A pack not installed (any more): its rows by day, filtered.
              Promise.all(missing.map((p) => listRollups(db, { from: p.from, to: p.to }))).then((l) => l.flat()),
        listComments(db),
      ]);
      const fresh = periodCubes(rows, pack, granularity, missing.map((p) => p.period));
      const toStore: StoredPeriodCube[] = [];
      for (const p of missing) {
        const cube = fresh.get(p.period)!;
        cubes.set(p.period, cube);
        if (!p.finished) continue;
        cache.set(pack, p.period, cube);
        toStore.push({ pack, period: p.period, cube });
      }
      await putPeriodCubes(db, toStore);
      return { cubes, comments };
    });
    return insightsFromCubes(cubes, { pack, period, trend, k }, comments);
  };
}
