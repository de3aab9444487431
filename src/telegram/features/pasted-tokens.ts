import type { MiddlewareFn } from "grammy";
import type { Access } from "../../access/access.js";
import { findPastedSecret } from "../../access/pasted-secrets.js";
import type { ReplyCooldown } from "../../access/reply-cooldown.js";
import type { Logger } from "../../shared/logger.js";
import type { RefusalCounter } from "../../shared/refusals.js";
import type { BotContext } from "../context.js";

/**
 * A message that contains something shaped like a token is deleted where the bot may delete it
 * (private chats always, groups where it is an admin) and answered with one line, before anything
 * else reads it: no feature sees its text, and no log line quotes it. Strangers cost at most one
 * delete, one debug line and one reply per cooldown: the cooldown is asked first, so a flood of
 * pasted tokens is a flood of nothing.
 */
export function pastedTokens(deps: {
  access: Access;
  strangerReplies: ReplyCooldown;
  refusals: RefusalCounter;
  logger: Logger;
}): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const message = ctx.message ?? ctx.editedMessage;
    const kind = findPastedSecret(message?.text ?? message?.caption);
    if (!message || !kind) return next();
    const chatId = message.chat.id;
    const userId = ctx.from?.id;
    const onTeam = userId !== undefined && deps.access.isOnTeam(userId);
    if (!onTeam && (userId === undefined || !deps.strangerReplies.take(userId))) {
      deps.refusals.refused("bot", "cooldown");
      deps.logger.debug({ chatId, userId, kind }, "a stranger's token left alone: cooldown");
      return;
    }
    const deleted = await ctx.api
      .deleteMessage(chatId, message.message_id)
      .then(() => true)
      .catch(() => false);
    deps.logger[onTeam ? "warn" : "debug"](
      { chatId, userId, kind, deleted },
      deleted ? "deleted a message that contained a token" : "a message contains a token",
    );
    const t = ctx.t.access.pastedToken;
    await ctx.api
      .sendMessage(chatId, deleted ? t.deleted : t.notDeleted)
      .catch((error: unknown) =>
        deps.logger.warn({ chatId, err: error }, "could not warn about a pasted token"),
      );
  };
}
