/**
 * The stored signal: anonymized by construction. Every field is an enum, an id that comes from
 * the rule files (checked against the loaded packs before storing), a version, or the day.
 * There is deliberately no field that could hold page text, a URL or a record id.
 */
import { z } from 'zod';
import { FEEDBACK_KINDS, SIGNAL_TYPES } from '../messages';
import { DWELL_BUCKETS, MAX_COUNT } from './detectors/detection';

export const signalRecordSchema = z.strictObject({
  type: z.enum(SIGNAL_TYPES),
  /** UTC day, "2026-11-28": no finer time is kept. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  crm: z.string().regex(/^[a-z0-9-]+$/).max(32),
  pack: z.string().regex(/^[a-z0-9-]+$/).max(64),
  packVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
  screen: z.string().regex(/^[a-z0-9/-]+$/).max(130),
  rule: z.string().regex(/^[a-z0-9/.#-]+$/).max(200).optional(),
  detail: z.enum([...FEEDBACK_KINDS, ...DWELL_BUCKETS]).optional(),
  count: z.number().int().min(1).max(MAX_COUNT).optional(),
  peer: z.string().regex(/^[a-z0-9/-]+$/).max(130).optional(),
  extensionVersion: z.string().regex(/^\d+(\.\d+){0,3}$/),
});

export type SignalRecord = z.infer<typeof signalRecordSchema>;

export { dayOf } from '../day';
