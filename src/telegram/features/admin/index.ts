import { type CallbackQueryContext, Composer } from "grammy";
import type { ConfirmationStore, MessageAddress } from "../../../access/confirmation-store.js";
import type { Instance } from "../../../config/index.js";
import { askToConfirm, confirmedAction } from "../../../instance-actions/confirmed-action.js";
import type { InstanceActions } from "../../../instance-actions/instance-actions.js";
import { adminCallbacks } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { missAnswer, missText } from "../../instance-replies.js";
import { instancePicker } from "../../keyboards.js";
import type { AdminAction } from "./keyboard.js";
import { confirmation, resultText } from "./view.js";
import { onCommand } from "../../commands.js";
import { answerNotRun } from "../../confirm-answers.js";
import { rememberName, type UserNameSink } from "../../user-names.js";

export interface AdminFeatureDeps {
  confirmations: ConfirmationStore;
  actions: InstanceActions;
  /** Who logged out or rebooted, by first name: /audit names them. */
  userNames: UserNameSink;
}

/**
 * `/logout <instance>` and `/reboot <instance>`, each behind a Yes/No for the user who asked,
 * which expires and counts once (instance-actions/confirmed-action.ts).
 */
export function adminFeature(deps: AdminFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  for (const action of ["logout", "reboot"] as const) {
    onCommand(composer, action, async (ctx) => {
      // Admin-only, asked here as well as in the access tables.
      const visible = ctx.access.names("administer");
      const argument = ctx.match.trim();
      if (!argument) {
        if (visible.length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
        return ctx.reply(ctx.t.toolkit.pick[action], {
          reply_markup: instancePicker(visible, (instance) =>
            adminCallbacks.encode({ action, instance }),
          ),
        });
      }
      const found = ctx.access.lookup(argument, "administer");
      if (!found.found) return ctx.reply(missText(ctx, found, argument), { parse_mode: "HTML" });
      const { text, keyboard } = confirmation(action, found.instance.name, ctx.t);
      const message = await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
      await ask(deps, ctx, message.message_id, action, found.instance.name);
    });
  }

  composer.callbackQuery(adminCallbacks.pattern, (ctx) => onButton(deps, ctx));

  return composer;
}

/** Yes: the action, once, for the asker in time; its result edited into the question. */
async function confirmYes(
  deps: AdminFeatureDeps,
  ctx: BotContext,
  action: AdminAction,
  instance: Instance,
  where: MessageAddress,
) {
  const { t } = ctx;
  const request = { action, instance, userId: ctx.from?.id ?? 0, chatId: where.chatId };
  await rememberName(ctx, deps.userNames);
  const outcome = await confirmedAction(deps, where, request, async () => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(t.toolkit.confirm.working(instance.name), { parse_mode: "HTML" });
  });
  if (outcome.kind !== "ran")
    return answerNotRun(ctx, outcome, instance.name, async () => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(t.toolkit.confirm.expired, { parse_mode: "HTML" });
    });
  await ctx.editMessageText(resultText(action, instance.name, outcome.result, t), {
    parse_mode: "HTML",
  });
}

/** The question on `messageId`, armed for the asker. */
function ask(
  deps: AdminFeatureDeps,
  ctx: BotContext,
  messageId: number,
  action: AdminAction,
  instance: string,
) {
  return askToConfirm(
    deps.confirmations,
    { chatId: ctx.chat?.id ?? 0, messageId },
    { action, instance, userId: ctx.from?.id ?? 0 },
  );
}

/** Picker, Yes and No buttons (and an alert's Reboot): the instance is checked again first. */
async function onButton(deps: AdminFeatureDeps, ctx: CallbackQueryContext<BotContext>) {
  const callback = adminCallbacks.decode(ctx.callbackQuery.data);
  const message = ctx.callbackQuery.message;
  if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
  const found = ctx.access.lookup(callback.instance, "administer");
  if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
  const instance = found.instance;
  const { t } = ctx;
  const where = { chatId: message.chat.id, messageId: message.message_id };
  switch (callback.action) {
    case "logout":
    case "reboot": {
      await ctx.answerCallbackQuery();
      const { text, keyboard } = confirmation(callback.action, instance.name, t);
      await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard });
      return ask(deps, ctx, where.messageId, callback.action, instance.name);
    }
    case "reboot-ask": {
      // From an alert: the alert stays as it is (others read it); the question comes below it.
      await ctx.answerCallbackQuery();
      const { text, keyboard } = confirmation("reboot", instance.name, t);
      const asked = await ctx.reply(text, {
        parse_mode: "HTML",
        reply_markup: keyboard,
        reply_parameters: { message_id: where.messageId, allow_sending_without_reply: true },
      });
      return ask(deps, ctx, asked.message_id, "reboot", instance.name);
    }
    case "no": {
      const decision = await deps.confirmations.withdraw(where, ctx.from.id);
      if (decision === "not-yours")
        return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance.name) });
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(t.toolkit.confirm.kept(instance.name), { parse_mode: "HTML" });
      return;
    }
    case "logout-yes":
    case "reboot-yes": {
      const action = callback.action === "logout-yes" ? "logout" : "reboot";
      return confirmYes(deps, ctx, action, instance, where);
    }
  }
}
