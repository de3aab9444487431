import type { MiddlewareFn } from "grammy";
import type { Logger } from "../../shared/logger.js";
import type { BotContext } from "../context.js";

/**
 * Deny by default: only configured operators get past this, in private chats and groups alike.
 * A stranger's command gets no answer at all (nothing to learn, not even that the bot is alive);
 * a stranger's button press gets the one reply Telegram requires, with nothing in it. The one
 * exception: `/start` in a private chat tells a stranger their own user id, so that an admin can
 * grant access, and nothing else.
 */
export function operatorsOnly(
  operatorIds: readonly number[],
  logger: Logger,
): MiddlewareFn<BotContext> {
  const operators = new Set(operatorIds);
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId !== undefined && operators.has(userId)) return next();
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: ctx.t.callbacks.notAllowed });
    } else if (userId !== undefined && ctx.chat?.type === "private" && isStart(ctx.message?.text)) {
      await ctx.reply(ctx.t.toolkit.strangerStart(userId), { parse_mode: "HTML" });
    }
    if (ctx.message || ctx.callbackQuery) {
      logger.info(
        { userId, chatId: ctx.chat?.id, denied: true },
        "ignored an update from a non-operator",
      );
    }
  };
}

const isStart = (text: string | undefined) => /^\/start(@\w+)?(\s|$)/.test(text ?? "");
