import type { MiddlewareFn } from "grammy";
import type { Access } from "../../../access/access.js";
import { parseCommand } from "../../../access/command.js";
import type { ReplyCooldown } from "../../../access/reply-cooldown.js";
import {
  buttonRight,
  commandRight,
  type Requirement,
  TYPED_REPLY_RIGHT,
} from "../../../access/rights.js";
import type { Logger } from "../../../shared/logger.js";
import type { RefusalCounter, RefusalReason } from "../../../shared/refusals.js";
import type { BotContext } from "../../context.js";

/**
 * Deny by default, the one gate every update passes: only the team (ADMIN_IDS, OPERATOR_IDS,
 * VIEWER_IDS) gets past it, and only with a command or button the access tables know. What a
 * member may do on each instance is then asked through `ctx.access`, which this sets up.
 *
 * Strangers cost little: a command gets no answer at all (nothing to learn, not even that the bot
 * is alive), a button press the one answer Telegram requires, with nothing in it. The one
 * exception: `/start` in a private chat tells a stranger their own user id, so that an admin can
 * add them, at most once per cooldown. Denials are logged at debug: a flood is not a log flood.
 */
export function accessGuard(deps: {
  access: Access;
  strangerReplies: ReplyCooldown;
  refusals: RefusalCounter;
  logger: Logger;
}): MiddlewareFn<BotContext> {
  const { access, logger } = deps;
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    const data = ctx.callbackQuery?.data;
    const command = parseCommand(ctx.message, ctx.me.username);
    const needs: Requirement | undefined = data
      ? buttonRight(data)
      : command
        ? commandRight(command.name)
        : ctx.message
          ? TYPED_REPLY_RIGHT
          : undefined;
    const denied = (reason: string, counted: RefusalReason) => {
      deps.refusals.refused("bot", counted);
      logger.debug({ userId, chatId: ctx.chat?.id, reason, denied: true }, "update denied");
    };

    if (userId === undefined || !access.isOnTeam(userId)) {
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: ctx.t.callbacks.notAllowed });
      } else if (
        command?.name === "start" &&
        command.toUs &&
        ctx.chat?.type === "private" &&
        userId !== undefined &&
        deps.strangerReplies.take(userId)
      ) {
        await ctx.reply(ctx.t.toolkit.strangerStart(userId), { parse_mode: "HTML" });
      }
      if (ctx.message || ctx.callbackQuery) denied("not on the team", "not-on-team");
      return;
    }
    if (command && !command.toUs) return; // another bot's command in a group
    if (command) ctx.command = command;
    if (needs === undefined) {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
      // A member's typo (or a command this version lacks) gets one line, not silence; in a group
      // only when written to us by name, since a bare /command there may be another bot's.
      if (command && (ctx.chat?.type === "private" || command.mentioned))
        await ctx.reply(ctx.t.unknownCommand(command.name), { parse_mode: "HTML" });
      if (ctx.message || ctx.callbackQuery) denied("not in the access tables", "unknown-action");
      return;
    }
    const right = needs === "team" ? "view" : needs;
    ctx.access = {
      userId,
      right,
      instances: (r = right) => access.instancesFor(userId, r),
      names: (r = right) => access.namesFor(userId, r),
      lookup: (name, r = right) => access.lookup(userId, name, r),
    };
    return next();
  };
}
