/** Storage reads are a trust boundary too (an older version, a hand-edited profile): parse them. */
import { z } from 'zod';
import { emptyProgress, type Progress } from './progress';

const count = z.number().int().min(0);
const id = z.string().max(200);

export const progressSchema = z.object({
  rules: z.record(id, z.object({ shown: count, lastShownDay: z.string().optional(), dismissed: z.boolean(), actions: count })),
  visits: z.record(id, count),
  visitsFrom: z.record(z.string().max(410), count),
  walkthroughs: z.record(id, z.object({ completed: z.boolean(), step: id.optional() })),
  active: z.object({ walkthrough: id, step: id, snoozed: z.boolean() }).optional(),
  ledger: z.record(z.string().regex(/^\d{4}-\d{2}$/), count),
});

export const progressEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('visit'), screen: id, from: id.optional() }),
  z.strictObject({ type: z.literal('shown'), rule: id }),
  z.strictObject({ type: z.literal('dismissed'), rule: id }),
  z.strictObject({ type: z.literal('action'), rule: id, seconds: z.number().int().min(0).max(3600) }),
  z.strictObject({
    type: z.literal('walkthrough'),
    walkthrough: id,
    step: id,
    status: z.enum(['active', 'snoozed', 'exited', 'completed']),
  }),
]);

export function parseProgress(raw: unknown): Progress {
  const parsed = progressSchema.safeParse(raw);
  return parsed.success ? (parsed.data as Progress) : emptyProgress();
}
