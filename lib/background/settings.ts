/**
 * The context rules are gated on: live stages, audience tag, locale override. Read from
 * storage.local "settings" (the options page writes it); enterprise policy (storage.managed)
 * will win over it once policy exists.
 */
import { z } from 'zod';
import type { CoachContext } from '../messages';
import type { KeyValueArea } from './progress-store';

const key = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);
export const settingsSchema = z.object({
  liveStages: z.record(key, key).default({}),
  audience: z.string().regex(/^[a-z0-9-]+$/).max(40).optional(),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
});

export const SETTINGS_KEY = 'settings';

export async function readContext(area: KeyValueArea): Promise<CoachContext> {
  const parsed = settingsSchema.safeParse((await area.get(SETTINGS_KEY))[SETTINGS_KEY] ?? {});
  const s = parsed.success ? parsed.data : { liveStages: {} };
  return { liveStages: s.liveStages, ...(s.audience && { audience: s.audience }), ...(s.locale && { locale: s.locale }) };
}
