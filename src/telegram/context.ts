import type { Context, MiddlewareFn } from "grammy";
import { type Locale, localeOf, type Texts, textsFor } from "./i18n/index.js";

/** grammY's context plus the words of the sender's language (from Telegram's language_code). */
export type BotContext = Context & { locale: Locale; t: Texts };

export const withLanguage: MiddlewareFn<BotContext> = (ctx, next) => {
  ctx.locale = localeOf(ctx.from?.language_code);
  ctx.t = textsFor(ctx.locale);
  return next();
};
