import { Composer } from "grammy";
import type { AuditLog } from "../../audit/audit-log.js";
import type { InstanceRegistry } from "../../config/index.js";
import type { GreenApiClient } from "../../green-api/client.js";
import type { SessionStarter } from "../../qr-session/session-starter.js";
import type { SessionStore } from "../../qr-session/session-store.js";
import type { Logger } from "../../shared/logger.js";
import {
  decodeQrCallback,
  encodeQrCallback,
  QR_CALLBACK_PATTERN,
  type QrCallback,
} from "../callback-data.js";
import type { BotContext } from "../context.js";
import { instancePicker, qrKeyboards } from "../keyboards.js";
import type { MessageRef, SessionScreen } from "../session-screen.js";

export interface QrFeatureDeps {
  instances: InstanceRegistry;
  starter: SessionStarter;
  store: SessionStore;
  screen: SessionScreen;
  greenApi: GreenApiClient;
  audit: AuditLog;
  logger: Logger;
}

/** How long GREEN-API answers as if still logged in after a logout; see SessionRecord.graceUntil. */
const AFTER_LOGOUT_GRACE_MS = 30_000;

/** `/qr <instance>` and the buttons on QR session messages. */
export function qrFeature(deps: QrFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("qr", async (ctx) => {
    const userId = ctx.from?.id ?? 0;
    const names = deps.instances.visibleTo(userId).map((instance) => instance.name);
    const argument = ctx.match.trim();
    const replyOptions = {
      parse_mode: "HTML" as const,
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    };
    if (!argument) {
      if (names.length === 0) return ctx.reply(ctx.t.toolkit.noInstances, replyOptions);
      // The usage, and one tap per instance instead of typing its name.
      return ctx.reply(ctx.t.qr.usage(names), {
        ...replyOptions,
        reply_markup: instancePicker(names, (instance) =>
          encodeQrCallback({ action: "start", instance }),
        ),
      });
    }
    const instance = deps.instances.findFor(userId, argument);
    if (!instance) return ctx.reply(ctx.t.unknownInstance(argument, names), replyOptions);
    const started = await deps.starter.startInNewMessage({
      instance: instance.name,
      userId: ctx.from?.id ?? 0,
      locale: ctx.locale,
      chatId: ctx.chat.id,
      replyTo: ctx.msg.message_id,
    });
    await deps.audit.record({
      action: "qr",
      userId: ctx.from?.id ?? 0,
      chatId: ctx.chat.id,
      instance: instance.name,
      result: started.started,
    });
  });

  composer.callbackQuery(QR_CALLBACK_PATTERN, async (ctx) => {
    const callback = decodeQrCallback(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    const instance = callback && deps.instances.findFor(ctx.from.id, callback.instance);
    if (!callback || !instance || !message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const target = { chatId: message.chat.id, messageId: message.message_id };
    await handleButton(deps, ctx, { ...callback, instance: instance.name }, target);
  });

  return composer;
}

async function handleButton(
  deps: QrFeatureDeps,
  ctx: BotContext,
  callback: QrCallback,
  target: MessageRef,
) {
  const { instance } = callback;
  const { t, locale } = ctx;
  const keyboards = qrKeyboards(t);
  const userId = ctx.from?.id ?? 0;
  const log = deps.logger.child({ instance, userId, chatId: target.chatId });
  const audit = (action: "qr" | "cancel" | "logout", result: string) =>
    deps.audit.record({ action, userId, chatId: target.chatId, instance, result });
  switch (callback.action) {
    case "start": {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.starting });
      const started = await deps.starter.startInNewMessage({
        instance,
        userId,
        locale,
        chatId: target.chatId,
      });
      await audit("qr", started.started);
      return;
    }
    case "cancel": {
      const record = await deps.store.get(instance);
      const isThisMessage =
        record?.chatId === target.chatId && record.messageId === target.messageId;
      if (!record || !isThisMessage) {
        return ctx.answerCallbackQuery({ text: t.qr.callbacks.sessionEnded });
      }
      // Still waiting in line: nobody polls it, so it ends here and now.
      if (record.runningSince === undefined && (await deps.starter.withdraw(record))) {
        await deps.screen.showEnd(target, instance, { kind: "cancelled", by: userId }, t);
        await audit("cancel", "done");
        log.info(
          { action: "cancel", result: "done", sessionId: record.sessionId },
          "queued QR session cancelled",
        );
        return ctx.answerCallbackQuery({ text: t.qr.callbacks.cancelled });
      }
      await deps.store.requestCancel(instance, record.sessionId, userId);
      await audit("cancel", "requested");
      log.info(
        { action: "cancel", result: "requested", sessionId: record.sessionId },
        "QR session cancel requested",
      );
      return ctx.answerCallbackQuery({ text: t.qr.callbacks.cancelling });
    }
    case "new": {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.starting });
      const started = await deps.starter.startOnMessage({ instance, userId, locale, target });
      await audit("qr", started.started);
      return;
    }
    case "logout": {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.confirmLogout });
      await deps.screen.showButtons(
        target,
        t.qr.confirmLogout(instance),
        keyboards.confirmLogout(instance),
      );
      return;
    }
    case "logout-no": {
      await ctx.answerCallbackQuery();
      await deps.screen.showButtons(
        target,
        t.qr.logoutKept(instance),
        keyboards.logoutAndQr(instance),
      );
      return;
    }
    case "logout-yes": {
      const configured = deps.instances.find(instance);
      if (!configured) return ctx.answerCallbackQuery({ text: t.callbacks.stale });
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.loggingOut });
      await deps.screen.showLoggingOut(target, instance, t);
      try {
        await deps.greenApi.logout(configured);
      } catch (error) {
        log.warn({ err: error }, "log out failed");
        const reason = error instanceof Error ? error.message : "unknown error";
        await audit("logout", `failed: ${reason}`);
        await deps.screen.showEnd(target, instance, { kind: "needs-logout" }, t);
        await deps.screen.showButtons(
          target,
          t.qr.logoutFailed(instance, reason),
          keyboards.logoutAndQr(instance),
        );
        return;
      }
      await audit("logout", "done");
      await deps.starter.startOnMessage({
        instance,
        userId,
        locale,
        target,
        graceMs: AFTER_LOGOUT_GRACE_MS,
      });
      return;
    }
  }
}
