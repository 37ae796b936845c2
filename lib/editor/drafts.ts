/**
 * Drafts never lose work: each pack's edited files are kept in storage.local under their own
 * key until they are published (or the admin discards them, after a confirmation). The last
 * published version stays live meanwhile: a draft only ever reaches a tab through "preview".
 */
import { z } from 'zod';
import type { DraftFile } from './check-draft';

export const draftKey = (pack: string) => `editor:draft:${pack}`;

export const draftSchema = z.object({
  pack: z.string(),
  /** The published version the draft started from. */
  baseVersion: z.string().optional(),
  files: z.array(z.object({ path: z.string(), text: z.string() })),
  savedAt: z.number(),
});
export type Draft = z.infer<typeof draftSchema>;

/** What the drafts need of storage.local (browser.storage.local and the fake both fit). */
export interface DraftArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export async function loadDraft(area: DraftArea, pack: string): Promise<Draft | undefined> {
  const raw = (await area.get(draftKey(pack)))[draftKey(pack)];
  const parsed = draftSchema.safeParse(raw);
  return parsed.success && parsed.data.pack === pack ? parsed.data : undefined;
}

export function saveDraft(area: DraftArea, draft: Omit<Draft, 'savedAt'>, now = Date.now()): Promise<void> {
  return area.set({ [draftKey(draft.pack)]: { ...draft, savedAt: now } });
}

export const discardDraft = (area: DraftArea, pack: string) => area.remove(draftKey(pack));

/** Is the draft different from what is published? */
export function isChanged(files: readonly DraftFile[], published: readonly DraftFile[]): boolean {
  if (files.length !== published.length) return true;
  const byPath = new Map(published.map((f) => [f.path, f.text]));
  return files.some((f) => byPath.get(f.path) !== f.text);
}

/** Calls `save` at most once per `ms` of quiet, and at once on `flush` (pagehide). */
export function debounced(save: () => void, ms: number): { schedule: () => void; flush: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  return {
    schedule() {
      pending = true;
      clearTimeout(timer);
      timer = setTimeout(() => {
        pending = false;
        save();
      }, ms);
    },
    flush() {
      clearTimeout(timer);
      if (pending) {
        pending = false;
        save();
      }
    },
    cancel() {
      clearTimeout(timer);
      pending = false;
    },
  };
}
