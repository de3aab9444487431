import { en } from "./en/index.js";
import { ru } from "./ru/index.js";

/**
 * Every word greenlight says in chat lives in one dictionary per language (en/, ru/), one file per
 * feature. English defines the shape; the compiler makes every language fill all of it.
 */
export type Texts = typeof en;
export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

const dictionaries: Record<Locale, Texts> = { en, ru };

/** From Telegram's `language_code` ("ru", "ru-RU", "en-GB", …); English when unknown. */
export function localeOf(languageCode: string | undefined): Locale {
  const base = languageCode?.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((locale) => locale === base) ?? "en";
}

export function textsFor(locale: Locale | string | undefined): Texts {
  return dictionaries[localeOf(locale)];
}

export { cards } from "./cards.js";
export { bold, code, codeList, escapeHtml, quoteInput } from "./html.js";
