/**
 * What the extension uploads to an organisation's collector, and what managers read back: the
 * one definition, imported by the extension's upload side and by the collector (collector/).
 *
 * Only DAILY AGGREGATES travel, never raw signals: one batch is one install's counts for one day.
 * Every string in a batch is an id from the rule files, an enum, a version, a day or a random id;
 * there is no free-text field except `feedback[].text`, which holds only comments the user
 * explicitly chose to send (scrubbed before storing, on both sides: lib/privacy/scrub.ts).
 *
 *   UploadBatch
 *   ├─ format: 1
 *   ├─ batchId       random (crypto.randomUUID() or randomId()): the idempotency key; a retry of
 *   │                the same batch MUST reuse it (the collector answers `{ duplicate: true }`)
 *   ├─ contributor   random, made by the extension per install AND per day of the rows: a new one
 *   │                every day, so days cannot be linked. The collector counts distinct ids per
 *   │                day (k-anonymity) and accepts an id for ONE batch of rows (409 otherwise):
 *   │                send a day's aggregates in one batch once the day is over; a retry resends
 *   │                the same batch (same batchId and contributor) and gets `duplicate: true`
 *   ├─ extensionVersion
 *   ├─ part?         only when a day's batch was too large (413) and the extension split it: the
 *   │                part's path in a binary split ("0", "1", then "10", "11" if "1" was split
 *   │                again; PART_MAX_DEPTH at most). Every part has its own batchId but the SAME
 *   │                contributor; the collector holds the parts and counts the day (one
 *   │                contributor) once the paths cover the whole ("0" + "10" + "11")
 *   ├─ rows[]        AggregateRow, all of the same `day`, each key (every field but the counts) once
 *   └─ feedback[]?   comments the user OK'd: { day, pack, rule, kind, text ≤ 500 }
 *
 *   AggregateRow = { day, crm, pack, packVersion, screen, rule?, type, detail?, peer?, count,
 *                    durations? }
 *     count      how many signals of this kind that install recorded that day (not rage-click's
 *                clicks-per-burst, which stays local)
 *     detail     the feedback kind, for type "feedback" only (required there)
 *     durations  form-dwell only (required there): how many of `count` fell in each DWELL_BUCKET;
 *                the buckets add up to `count`
 *     rule       required for tips, walkthrough steps, rule-missing and feedback; optional for
 *                friction types (a click on an element no rule names has none); absent for
 *                help-opened
 *     peer       back-and-forth only: the other screen of the pair
 *
 * The manager's read side (insightsQuerySchema, insightsResponseSchema) is below; every table
 * there has already been through lib/privacy/suppression.ts.
 */
import { z } from 'zod';
import { FEEDBACK_KINDS, SIGNAL_TYPES, type SignalType } from '../messages';
import { DWELL_BUCKETS } from '../signals/detectors/detection';
import { FRICTION_SIGNAL_TYPES } from '../signals/detectors/index';
import { signalRecordSchema } from '../signals/signal-record';

export const PAYLOAD_FORMAT = 1 as const;
/** Rows in one batch: a busy install has ~100 (screens × kinds) a day; 1,000 leaves ample room. */
export const MAX_ROWS_PER_BATCH = 1000;
/** Comments in one batch. */
export const MAX_FEEDBACK_PER_BATCH = 20;
export const MAX_FEEDBACK_TEXT = 500;
/** A day's count of one kind for one install: more is a bug, not a salesperson. */
export const MAX_ROW_COUNT = 100_000;
/** A split day's parts are at most this deep (1,024 parts; a day has at most 1,000 rows). */
export const PART_MAX_DEPTH = 10;

const record = signalRecordSchema.shape;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real calendar day "2026-11-28" (not "2026-02-30"). */
export function isCalendarDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export const daySchema = record.day.refine(isCalendarDay, { message: 'not a calendar day (YYYY-MM-DD)' });

/** A random id: 16–64 characters of [A-Za-z0-9_-] (a UUID fits; so does randomId()). */
export const randomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** 128 random bits, base64url (22 characters): for batch ids and daily contributor ids. */
export function randomId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const count = z.number().int().min(0).max(MAX_ROW_COUNT);

export const durationsSchema = z.strictObject(
  Object.fromEntries(DWELL_BUCKETS.map((b) => [b, count.optional()])) as Record<(typeof DWELL_BUCKETS)[number], z.ZodOptional<typeof count>>,
);

const RULE_REQUIRED: ReadonlySet<SignalType> = new Set<SignalType>([
  'tip-shown',
  'tip-dismissed',
  'tip-used',
  'stage-complete',
  'rule-missing',
  'feedback',
  'walkthrough-started',
  'walkthrough-step',
  'walkthrough-completed',
  'walkthrough-abandoned',
]);
const FRICTION: ReadonlySet<string> = new Set(FRICTION_SIGNAL_TYPES);

export const aggregateRowSchema = z
  .strictObject({
    day: daySchema,
    crm: record.crm,
    pack: record.pack,
    packVersion: record.packVersion,
    screen: record.screen,
    rule: record.rule,
    type: z.enum(SIGNAL_TYPES),
    detail: z.enum(FEEDBACK_KINDS).optional(),
    peer: record.peer,
    count: count.min(1),
    durations: durationsSchema.optional(),
  })
  .superRefine((row, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (row.type === 'feedback' ? row.detail === undefined : row.detail !== undefined) {
      issue('detail', 'detail is the feedback kind: required for type "feedback", not allowed otherwise');
    }
    if (RULE_REQUIRED.has(row.type) && row.rule === undefined) issue('rule', `rule is required for type "${row.type}"`);
    if (!RULE_REQUIRED.has(row.type) && !FRICTION.has(row.type) && row.rule !== undefined) {
      issue('rule', `rule is not allowed for type "${row.type}"`);
    }
    if (row.peer !== undefined && row.type !== 'back-and-forth') issue('peer', 'peer is for type "back-and-forth" only');
    if (row.type === 'form-dwell') {
      if (row.durations === undefined) issue('durations', 'durations are required for type "form-dwell"');
      else {
        const sum = Object.values(row.durations).reduce<number>((a, b) => a + (b ?? 0), 0);
        if (sum !== row.count) issue('durations', 'durations must add up to count');
      }
    } else if (row.durations !== undefined) issue('durations', 'durations are for type "form-dwell" only');
  });

export type AggregateRow = z.infer<typeof aggregateRowSchema>;

/** The identity of a row within a batch: everything but the counts. */
export const rowKey = (r: AggregateRow): string =>
  [r.day, r.crm, r.pack, r.packVersion, r.screen, r.rule ?? '', r.type, r.detail ?? '', r.peer ?? ''].join('|');

// Comments: printable text only (line breaks allowed, other control characters not).
const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

export const feedbackCommentSchema = z.strictObject({
  day: daySchema,
  pack: record.pack,
  rule: record.rule.unwrap(),
  kind: z.enum(FEEDBACK_KINDS),
  text: z
    .string()
    .min(1)
    .max(MAX_FEEDBACK_TEXT)
    .refine((t) => !CONTROL.test(t), { message: 'control characters are not allowed' }),
});

export type FeedbackComment = z.infer<typeof feedbackCommentSchema>;

export const uploadBatchSchema = z
  .strictObject({
    format: z.literal(PAYLOAD_FORMAT),
    batchId: randomIdSchema,
    contributor: randomIdSchema,
    extensionVersion: record.extensionVersion,
    part: z.string().regex(/^[01]{1,10}$/).optional(),
    rows: z.array(aggregateRowSchema).max(MAX_ROWS_PER_BATCH),
    feedback: z.array(feedbackCommentSchema).max(MAX_FEEDBACK_PER_BATCH).optional(),
  })
  .superRefine((batch, ctx) => {
    if (batch.rows.length === 0 && (batch.feedback?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'a batch carries at least one row or comment' });
    }
    if (batch.part !== undefined && batch.rows.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['part'], message: 'a part is a piece of a day of rows: a batch of comments only has none' });
    }
    const day = batch.rows[0]?.day;
    const seen = new Set<string>();
    batch.rows.forEach((row, i) => {
      if (row.day !== day) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'day'], message: 'all rows of a batch are of one day (the contributor id is per day)' });
      }
      const key = rowKey(row);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['rows', i], message: 'duplicate row: aggregate rows with the same key into one' });
      seen.add(key);
    });
  });

export type UploadBatch = z.infer<typeof uploadBatchSchema>;

/**
 * The weight of a part path in units of 1 / 2^PART_MAX_DEPTH: "0" is half of the day, "10" a
 * quarter; a day is complete when its parts' weights add up to PART_WHOLE and no path is a
 * prefix of another.
 */
export const partWeight = (path: string): number => 2 ** (PART_MAX_DEPTH - path.length);
export const PART_WHOLE = 2 ** PART_MAX_DEPTH;

/** The collector's answer to an accepted batch (201 stored; 200 with duplicate: true, already had it). */
export const uploadResponseSchema = z.strictObject({
  ok: z.literal(true),
  batchId: randomIdSchema,
  duplicate: z.boolean(),
  rows: z.number().int().min(0),
});
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

/** Every error the collector answers with: a code, a message, and for 400 the failing paths. */
export const errorResponseSchema = z.strictObject({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.strictObject({ path: z.string(), code: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

// ---------------------------------------------------------------- the manager's read side

/**
 * What a manager can ask for: one table per question, for one pack and one whole calendar
 * period of the granularity the collector is configured with (PERIOD: day, week or month).
 * Each kind is a table over its own signal types, and periods of one granularity do not
 * overlap, so no two answers share any number that one could be subtracted from another.
 *   friction      rows: screen × cols: friction type; form-dwell split by bucket ("form-dwell/2m-5m")
 *   targets       rows: rule (the friction signal's target) × cols: friction type (as friction)
 *   walkthroughs  rows: walkthrough step id × cols: walkthrough-started, -step (shown), -completed,
 *                 -abandoned (at that step)
 *   tips          rows: rule × cols: tip-shown, tip-dismissed, tip-used (time saved = tip-used ×
 *                 the tip's savesSeconds from the pack, computed by the reader)
 *   feedback      rows: rule (tip or step) × cols: feedback kind
 *   health        rows: screen (help-opened) or rule (rule-missing) × cols: help-opened, rule-missing
 *   stages        rows: stage id, and "(active)" × col: contributor-days (stage-complete days; days
 *                 with any data): share of contributors with a stage complete = stage / (active)
 *   (lib/insights/tables.ts is the one definition of these tables.)
 *   comments      the comments users chose to send, only for rules whose feedback came from ≥ k
 *                 contributors in the period; no day, no order of arrival
 */
export const INSIGHT_KINDS = ['friction', 'targets', 'walkthroughs', 'tips', 'feedback', 'health', 'stages', 'comments'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

export const PERIOD_GRANULARITIES = ['day', 'week', 'month'] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

export interface Period {
  granularity: PeriodGranularity;
  /** First and last day, inclusive. */
  from: string;
  to: string;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/**
 * "2026-11-02" (a day), "2026-W45" (an ISO 8601 week, Monday to Sunday), "2026-11" (a month);
 * undefined for anything else.
 */
export function parsePeriod(period: string): Period | undefined {
  if (isCalendarDay(period)) return { granularity: 'day', from: period, to: period };
  let m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return undefined;
    return { granularity: 'month', from: isoDay(Date.UTC(y, mo - 1, 1)), to: isoDay(Date.UTC(y, mo, 0)) };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    const jan4 = Date.UTC(y, 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (w - 1) * 7 * DAY_MS;
    // Week w exists if its Thursday is in year y (weeks 1–52, or 53 in long years).
    if (w < 1 || new Date(monday + 3 * DAY_MS).getUTCFullYear() !== y) return undefined;
    return { granularity: 'week', from: isoDay(monday), to: isoDay(monday + 6 * DAY_MS) };
  }
  return undefined;
}

/** The period of the given granularity that contains a day ("2026-11-28" → "2026-11", "2026-W48"). */
export function periodOf(day: string, granularity: PeriodGranularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return day.slice(0, 7);
  const t = Date.parse(day);
  const thursday = t + (3 - ((new Date(t).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const insightsQuerySchema = z.strictObject({
  pack: record.pack,
  period: z.string().max(10).refine((p) => parsePeriod(p) !== undefined, {
    message: 'a period is a day (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM)',
  }),
  format: z.enum(['json', 'csv']).optional(),
});
export type InsightsQuery = z.infer<typeof insightsQuerySchema>;

/** GET /v1/insights: what this collector publishes. */
export const insightsInfoSchema = z.strictObject({
  format: z.literal(PAYLOAD_FORMAT),
  k: z.number().int().min(5),
  granularity: z.enum(PERIOD_GRANULARITIES),
  insights: z.array(z.enum(INSIGHT_KINDS)),
});
export type InsightsInfo = z.infer<typeof insightsInfoSchema>;

/** Why a value is not shown: fewer than k contributors, or it would let one be recovered. */
export const suppressionSchema = z.enum(['k', 'complementary']).nullable();

const publishedValue = { value: z.number().nullable(), suppressed: suppressionSchema };

export const publishedTableSchema = z.strictObject({
  k: z.number().int().min(5),
  rows: z.array(z.string()),
  cols: z.array(z.string()),
  /** Cells with data (or suppressed to protect another); a (row, col) not listed is 0. */
  cells: z.array(z.strictObject({ row: z.string(), col: z.string(), ...publishedValue })),
  rowTotals: z.array(z.strictObject({ key: z.string(), ...publishedValue })),
  colTotals: z.array(z.strictObject({ key: z.string(), ...publishedValue })),
  total: z.strictObject(publishedValue),
});
export type PublishedTableResponse = z.infer<typeof publishedTableSchema>;

const periodFields = {
  pack: record.pack,
  period: z.string(),
  granularity: z.enum(PERIOD_GRANULARITIES),
  from: daySchema,
  to: daySchema,
};

export const insightsResponseSchema = z.strictObject({
  format: z.literal(PAYLOAD_FORMAT),
  insight: z.enum(INSIGHT_KINDS),
  ...periodFields,
  rowDimension: z.enum(['screen', 'step', 'rule', 'stage']),
  colDimension: z.enum(['type', 'kind', 'measure']),
  /** Values are counts of signals; contributors are counted per day (see collector/README.md). */
  table: publishedTableSchema,
});
export type InsightsResponse = z.infer<typeof insightsResponseSchema>;

export const commentsResponseSchema = z.strictObject({
  format: z.literal(PAYLOAD_FORMAT),
  insight: z.literal('comments'),
  ...periodFields,
  k: z.number().int().min(5),
  comments: z.array(z.strictObject({ rule: z.string(), kind: z.enum(FEEDBACK_KINDS), text: z.string() })),
});
export type CommentsResponse = z.infer<typeof commentsResponseSchema>;
