/**
 * The languages greenlight speaks. Feature cores carry a Locale (who started a session, in which
 * language) and never words: the words live in telegram/i18n, which turns a Locale into Texts.
 */
export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

/** From Telegram's `language_code` ("ru", "ru-RU", "en-GB", …); English when unknown. */
export function localeOf(languageCode: string | undefined): Locale {
  const base = languageCode?.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((locale) => locale === base) ?? "en";
}
