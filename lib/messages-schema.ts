/** Zod at the trust boundary: the background parses every incoming message with these. */
import { z } from 'zod';
import { FEEDBACK_KINDS, SIGNAL_CATEGORIES, SIGNAL_TYPES } from './messages';
import { DWELL_BUCKETS, MAX_COUNT } from './signals/detectors/detection';
import { progressEventSchema } from './progress/progress-schema';

const packId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);
const screenId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/).max(130);
const ruleId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*\.[a-z]+#[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(200);

export const signalInputSchema = z.strictObject({
  type: z.enum(SIGNAL_TYPES),
  pack: packId,
  screen: screenId,
  rule: ruleId.optional(),
  detail: z.enum([...FEEDBACK_KINDS, ...DWELL_BUCKETS]).optional(),
  count: z.number().int().min(1).max(MAX_COUNT).optional(),
  peer: screenId.optional(),
});

export const messageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('rules:get') }),
  z.strictObject({ type: z.literal('overlay:load') }),
  z.strictObject({ type: z.literal('progress:event'), event: progressEventSchema }),
  z.strictObject({
    type: z.literal('signal:record'),
    signal: signalInputSchema,
    uid: z.string().regex(/^[A-Za-z0-9_-]{16,40}$/).optional(),
  }),
  z.strictObject({
    type: z.literal('feedback:record'),
    signal: signalInputSchema.extend({ type: z.literal('feedback'), detail: z.enum(FEEDBACK_KINDS) }),
    comment: z.string().max(500).optional(),
  }),
]);

/** From the extension's own pages only (the background checks the sender before parsing). */
export const pageMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('privacy:summary') }),
  z.strictObject({ type: z.literal('privacy:export') }),
  z.strictObject({ type: z.literal('privacy:wipe') }),
  z.strictObject({ type: z.literal('privacy:pause'), all: z.boolean(), categories: z.array(z.enum(SIGNAL_CATEGORIES)) }),
  z.strictObject({ type: z.literal('settings:locale'), locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).nullable() }),
  z.strictObject({ type: z.literal('settings:policy') }),
]);
