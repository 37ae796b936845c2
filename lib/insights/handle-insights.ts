/**
 * The background's handler for `insights:*` messages (our own pages only: the prefix is routed in
 * entrypoints/background.ts). Reads this browser's daily rollups through the signal store's one
 * connection and answers with published tables only (lib/insights/local.ts).
 */
import type { CompiledPack } from '../rules/compiled';
import { minK, type ReadPolicy } from '../policy/policy';
import { listComments, listRollups, type CoachDatabase } from '../store/database';
import { parsePeriod } from '../sync/payload';
import { consecutivePeriods, insightsMessageSchema, localInsights, packMeta } from './local';

export interface InsightsDeps {
  db: <T>(op: (db: CoachDatabase) => Promise<T>) => Promise<T>;
  packs: () => Promise<readonly CompiledPack[]>;
  policy: () => Promise<ReadPolicy>;
}

export function createInsightsHandler(deps: InsightsDeps) {
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
    const periods = consecutivePeriods(message.period, message.trend);
    const from = parsePeriod(periods[0]!)!.from;
    const to = parsePeriod(message.period)!.to;
    const [rollups, comments] = await deps.db((db) => Promise.all([listRollups(db, { from, to }), listComments(db)]));
    return localInsights(rollups, { pack: message.pack, period: message.period, trend: message.trend, k }, comments);
  };
}
