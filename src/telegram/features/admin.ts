import { Composer, InlineKeyboard } from "grammy";
import type { ConfirmationStore } from "../../access/confirmation-store.js";
import type { AuditLog } from "../../audit/audit-log.js";
import type { Instance } from "../../config/index.js";
import type { GreenApiClient } from "../../green-api/client.js";
import { GreenApiError } from "../../green-api/errors.js";
import { adminCallbacks } from "../callback-data.js";
import type { BotContext } from "../context.js";
import type { Texts } from "../i18n/index.js";
import { missAnswer, missText } from "../instance-replies.js";
import { instancePicker } from "../keyboards.js";
import { onCommand } from "../commands.js";

export interface AdminFeatureDeps {
  greenApi: GreenApiClient;
  audit: AuditLog;
  confirmations: ConfirmationStore;
}

type AdminAction = "logout" | "reboot";

/**
 * `/logout <instance>` and `/reboot <instance>`, each behind a Yes/No for the user who asked,
 * which expires and counts once (access/confirmation.ts).
 */
export function adminFeature(deps: AdminFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const confirmation = (action: AdminAction, instance: string, t: Texts) => ({
    text:
      action === "logout" ? t.toolkit.confirm.logout(instance) : t.toolkit.confirm.reboot(instance),
    keyboard: new InlineKeyboard()
      .text(
        action === "logout" ? t.toolkit.confirm.yesLogout : t.toolkit.confirm.yesReboot,
        adminCallbacks.encode({
          action: action === "logout" ? "logout-yes" : "reboot-yes",
          instance,
        }),
      )
      .text(t.toolkit.confirm.no, adminCallbacks.encode({ action: "no", instance })),
  });

  const arm = (
    chatId: number,
    messageId: number,
    action: AdminAction,
    instance: string,
    userId: number,
  ) => deps.confirmations.arm({ chatId, messageId }, { action, instance, userId });

  for (const action of ["logout", "reboot"] as const) {
    onCommand(composer, action, async (ctx) => {
      const userId = ctx.from?.id ?? 0;
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
      const instance = found.instance;
      const { text, keyboard } = confirmation(action, instance.name, ctx.t);
      const message = await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
      await arm(ctx.chat.id, message.message_id, action, instance.name, userId);
    });
  }

  composer.callbackQuery(adminCallbacks.pattern, async (ctx) => {
    const callback = adminCallbacks.decode(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    const found = ctx.access.lookup(callback.instance, "administer");
    if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
    const instance = found.instance;
    const { t } = ctx;
    const where = { chatId: message.chat.id, messageId: message.message_id };
    const userId = ctx.from.id;
    switch (callback.action) {
      case "logout":
      case "reboot": {
        await ctx.answerCallbackQuery();
        const { text, keyboard } = confirmation(callback.action, instance.name, t);
        await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard });
        await arm(where.chatId, where.messageId, callback.action, instance.name, userId);
        return;
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
        await arm(where.chatId, asked.message_id, "reboot", instance.name, userId);
        return;
      }
      case "no": {
        const decision = await deps.confirmations.withdraw(where, userId);
        if (decision === "not-yours")
          return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance.name) });
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(t.toolkit.confirm.kept(instance.name), { parse_mode: "HTML" });
        return;
      }
      case "logout-yes":
      case "reboot-yes": {
        const action: AdminAction = callback.action === "logout-yes" ? "logout" : "reboot";
        const decision = await deps.confirmations.take(where, {
          action,
          instance: instance.name,
          userId,
        });
        if (decision === "not-yours")
          return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance.name) });
        if (decision === "already-done")
          return ctx.answerCallbackQuery({ text: t.access.confirm.alreadyDone });
        await ctx.answerCallbackQuery();
        if (decision === "expired") {
          await ctx.editMessageText(t.toolkit.confirm.expired, { parse_mode: "HTML" });
          return;
        }
        await ctx.editMessageText(t.toolkit.confirm.working(instance.name), { parse_mode: "HTML" });
        const result = await run(deps, action, instance, t);
        await deps.audit.record({
          action,
          userId: ctx.from.id,
          chatId: message.chat.id,
          instance: instance.name,
          result: result.ok ? "done" : `failed: ${result.code}`,
        });
        const done = action === "logout" ? t.toolkit.confirm.loggedOut : t.toolkit.confirm.rebooted;
        await ctx.editMessageText(
          result.ok ? done(instance.name) : t.toolkit.confirm.failed(instance.name, result.reason),
          { parse_mode: "HTML" },
        );
        return;
      }
    }
  });

  return composer;
}

async function run(
  deps: AdminFeatureDeps,
  action: AdminAction,
  instance: Instance,
  t: Texts,
): Promise<{ ok: true } | { ok: false; reason: string; code: string }> {
  try {
    const ok =
      action === "logout"
        ? await deps.greenApi.logout(instance)
        : await deps.greenApi.reboot(instance);
    return ok ? { ok: true } : { ok: false, reason: "GREEN-API declined", code: "declined" };
  } catch (error) {
    if (error instanceof GreenApiError) {
      // 401, 403 and 466 in plain words with their fix; the rest by the failure's name.
      const end = error.endState;
      const reason = end
        ? t.greenApi.reasons[end]
        : error.failure === "rate-limited"
          ? t.greenApi.reasons["rate-limited"]
          : error.failure;
      return { ok: false, reason, code: end ?? error.failure };
    }
    return { ok: false, reason: "failed", code: "failed" };
  }
}
