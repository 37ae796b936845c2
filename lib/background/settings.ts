/**
 * The context rules are gated on: live stages, audience tag, locale override. Read from
 * storage.local "settings" (the options page writes it); enterprise policy (storage.managed)
 * will win over it once policy exists.
 */
import { z } from 'zod';
import { categoryOf, SIGNAL_CATEGORIES, type CoachContext, type SignalType } from '../messages';
import type { KeyValueArea } from './progress-store';
import type { Policy } from '../policy/policy';

const key = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64);
export const settingsSchema = z.object({
  liveStages: z.record(key, key).default({}),
  audience: z.string().regex(/^[a-z0-9-]+$/).max(40).optional(),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
  /** The user paused recording: everything, or some categories. Paused means nothing is stored. */
  paused: z.object({ all: z.boolean().default(false), categories: z.array(z.enum(SIGNAL_CATEGORIES)).default([]) }).default({ all: false, categories: [] }),
});

export type Settings = z.infer<typeof settingsSchema>;

export async function readSettings(area: KeyValueArea): Promise<Settings> {
  const parsed = settingsSchema.safeParse((await area.get(SETTINGS_KEY))[SETTINGS_KEY] ?? {});
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

export async function updateSettings(area: KeyValueArea, change: (s: Settings) => Settings): Promise<Settings> {
  const next = settingsSchema.parse(change(await readSettings(area)));
  await area.set({ [SETTINGS_KEY]: next });
  return next;
}

export function isPaused(settings: Settings, type: SignalType): boolean {
  return settings.paused.all || settings.paused.categories.includes(categoryOf(type));
}

export const SETTINGS_KEY = 'settings';

export async function readContext(area: KeyValueArea): Promise<CoachContext> {
  const s = await readSettings(area);
  return {
    liveStages: s.liveStages,
    ...(s.audience && { audience: s.audience }),
    ...(s.locale && { locale: s.locale }),
    ...(isPaused(s, 'rage-click') && { frictionPaused: true }),
  };
}

/**
 * Only what policy allows reaches the content script: policy's live stages win per pack, its
 * audience replaces the user's, and its default locale applies when the user chose none and the
 * browser's language is not one the packs have.
 */
export function applyPolicy(
  context: CoachContext,
  policy: Policy,
  { browserLocale, packLocales }: { browserLocale: string; packLocales: readonly string[] },
): CoachContext {
  const out: CoachContext = { ...context, liveStages: { ...context.liveStages, ...policy.liveStages } };
  if (policy.audience !== undefined) out.audience = policy.audience;
  const language = (tag: string) => tag.split('-')[0]!.toLowerCase();
  const known = new Set(packLocales.map(language));
  if (context.locale === undefined && policy.defaultLocale !== undefined && !known.has(language(browserLocale))) {
    out.locale = policy.defaultLocale;
  }
  return out;
}
