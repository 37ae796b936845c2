/**
 * UI strings, from the browser's `_locales` files (public/_locales/<lang>/messages.json), so the
 * manifest and the UI share one source. The extension's pages could use `browser.i18n`, but it
 * always follows the browser's language; users may override it in settings, so the overlay and
 * pages look messages up here: the chosen locale, its language, then English.
 */
import en from '../public/_locales/en/messages.json';
import nb from '../public/_locales/nb/messages.json';

type Messages = Record<string, { message: string }>;
export type MessageKey = keyof typeof en;

const CATALOGS: Record<string, Messages> = { en, nb };
/** Norwegian readers of "no"/"nn" are better served by bokmål than by English. */
const ALIASES: Record<string, string> = { no: 'nb', nn: 'nb' };

export const UI_LOCALES = Object.keys(CATALOGS);

export function resolveUiLocale(locale: string | undefined): string {
  const tag = (locale ?? 'en').toLowerCase();
  const language = tag.split('-')[0]!;
  if (CATALOGS[tag]) return tag;
  if (CATALOGS[language]) return language;
  return ALIASES[language] ?? 'en';
}

export type Translate = (key: MessageKey, ...substitutions: Array<string | number>) => string;

export function createTranslator(locale: string | undefined): Translate {
  const catalog = CATALOGS[resolveUiLocale(locale)]!;
  return (key, ...subs) => {
    const template = catalog[key]?.message ?? (en as Messages)[key]?.message ?? key;
    return template.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''));
  };
}

/** "14 min", "45 s": durations the ledger and tips show. */
export function formatDuration(seconds: number, t: Translate): string {
  return seconds >= 90 ? t('minutes', Math.round(seconds / 60)) : t('seconds', Math.round(seconds));
}
