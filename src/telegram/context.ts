import type { Context, MiddlewareFn } from "grammy";
import type { Lookup } from "../access/access.js";
import type { ParsedCommand } from "../access/command.js";
import type { Right } from "../access/roles.js";
import type { Instance } from "../config/index.js";
import { type Locale, localeOf, type Texts, textsFor } from "./i18n/index.js";

/**
 * What the sender may do, set by the access guard (features/access-guard/) before any feature runs.
 * `right` is what this update needs by the access tables (src/access/rights.ts): lookups without
 * a right of their own use it, so a feature cannot ask for less than its entry there.
 */
export interface UserAccess {
  userId: number;
  right: Right;
  /** The instances the sender may act on with `right` (or the one given), in file order. */
  instances(right?: Right): Instance[];
  names(right?: Right): string[];
  lookup(name: string, right?: Right): Lookup;
}

/**
 * grammY's context plus the words of the sender's language (from Telegram's language_code), and
 * the command addressed to us, read once by the access guard (routing uses the same reading).
 */
export type BotContext = Context & {
  locale: Locale;
  t: Texts;
  access: UserAccess;
  command?: ParsedCommand;
};

export const withLanguage: MiddlewareFn<BotContext> = (ctx, next) => {
  ctx.locale = localeOf(ctx.from?.language_code);
  ctx.t = textsFor(ctx.locale);
  return next();
};
