/**
 * Messages of the authoring tools (prefix "admin:"), from our own extension pages only (the
 * background refuses the prefix from content scripts). The picker's answer does not come as a
 * message: it comes over a port the background opened a pick for (see admin-background.ts).
 */
import { z } from 'zod';
import type { TargetStrategy } from '../rules/compiled';

const file = z.object({ path: z.string().min(1).max(200), text: z.string().max(500_000) });
const packId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

export const adminMessage = z.discriminatedUnion('type', [
  /** Switch the most recent CRM tab of this pack into picking mode; replies with the chosen target. */
  z.object({ type: z.literal('admin:pick'), pack: packId, files: z.array(file).max(500) }),
  /** Stop a pick in progress (the editor closed the request). */
  z.object({ type: z.literal('admin:pick-cancel') }),
  /** Show one rule (tooltip, tip) or walkthrough of the draft on the most recent CRM tab, once. */
  z.object({ type: z.literal('admin:preview'), pack: packId, files: z.array(file).max(500), id: z.string().min(1).max(300) }),
]);
export type AdminMessage = z.infer<typeof adminMessage>;

/** A target strategy as the picker sends it: checked like a rule file's (lengths, one kind). */
export const pickedStrategy = z
  .strictObject({
    css: z.string().min(1).max(500).optional(),
    role: z.string().regex(/^[a-z]+$/).optional(),
    name: z.string().min(1).max(200).optional(),
    label: z.string().min(1).max(200).optional(),
    text: z.string().min(1).max(200).optional(),
    nth: z.number().int().min(0).max(100).optional(),
  })
  .refine((t) => (['css', 'role', 'label', 'text'] as const).filter((k) => t[k] !== undefined).length === 1);

/** What the picker script posts on its port. */
export const pickerReport = z.discriminatedUnion('type', [
  z.object({ type: z.literal('picked'), target: pickedStrategy }),
  z.object({ type: z.literal('cancelled') }),
]);

export type PickReply = { target: TargetStrategy } | { cancelled: true } | { error: string };
export type PreviewReply = { ok: true; tab: string } | { error: string };
