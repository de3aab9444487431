import { type Locale, localeOf } from "../../shared/locale.js";
import { en } from "./en/index.js";
import { ru } from "./ru/index.js";
import type { Texts } from "./texts.js";

/**
 * Every word greenlight says in chat lives in one dictionary per language (en/, ru/), one file per
 * feature. English defines the shape; the compiler makes every language fill all of it.
 */
export type { Texts } from "./texts.js";
export { LOCALES, type Locale, localeOf } from "../../shared/locale.js";

const dictionaries: Record<Locale, Texts> = { en, ru };

export function textsFor(locale: Locale | string | undefined): Texts {
  return dictionaries[localeOf(locale)];
}

export { cards } from "./cards.js";
export { bold, code, codeList, escapeHtml, quoteInput } from "./html.js";
