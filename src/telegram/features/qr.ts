import { Composer } from "grammy";
import type { ConfirmationStore } from "../../access/confirmation-store.js";
import type { AuditLog } from "../../audit/audit-log.js";
import type { GreenApiClient } from "../../green-api/client.js";
import type { SessionStarter, StartResult } from "../../qr-session/session-starter.js";
import type { SessionStore } from "../../qr-session/session-store.js";
import type { Logger } from "../../shared/logger.js";
import {
  decodeQrCallback,
  encodeQrCallback,
  QR_CALLBACK_PATTERN,
  type QrCallback,
} from "../callback-data.js";
import type { BotContext } from "../context.js";
import { missAnswer, missText } from "../instance-replies.js";
import { instancePicker, qrKeyboards } from "../keyboards.js";
import { deliverSecret, onStartLink } from "../secret-delivery.js";
import { rememberName, type UserNameSink } from "../user-names.js";
import type { MessageRef, SessionScreen } from "../session-screen.js";
import { onCommand } from "../commands.js";

export interface QrFeatureDeps {
  starter: SessionStarter;
  store: SessionStore;
  screen: SessionScreen;
  greenApi: GreenApiClient;
  audit: AuditLog;
  confirmations: ConfirmationStore;
  /** Chats where a QR may be shown besides the asker's private chat (SECRET_CHAT_IDS). */
  trustedChatIds: readonly number[];
  logger: Logger;
  /** Who started a session, by first name: the closure and the alert say "linked by Ivan". */
  userNames?: UserNameSink;
}

/** How long GREEN-API answers as if still logged in after a logout; see SessionRecord.graceUntil. */
const AFTER_LOGOUT_GRACE_MS = 30_000;

/** `/qr <instance>`, its deep link `/start qr-<instance>`, and the buttons on QR session messages. */
export function qrFeature(deps: QrFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onCommand(composer, "qr", async (ctx) => {
    const names = ctx.access.names();
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
    const found = ctx.access.lookup(argument);
    if (!found.found) return ctx.reply(missText(ctx, found, argument), replyOptions);
    await startQr(deps, ctx, found.instance.name, { replyTo: ctx.msg.message_id });
  });

  // The private chat a "press Start first" link opened: do what was asked in the group.
  onCommand(
    composer,
    "start",
    onStartLink("qr", (ctx, instance) => startQr(deps, ctx, instance.name, {})),
  );

  composer.callbackQuery(QR_CALLBACK_PATTERN, async (ctx) => {
    const callback = decodeQrCallback(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    const found = ctx.access.lookup(callback.instance);
    if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
    const target = { chatId: message.chat.id, messageId: message.message_id };
    await handleButton(deps, ctx, { ...callback, instance: found.instance.name }, target);
  });

  return composer;
}

/**
 * A new QR session message where a QR may be shown: here, or in the asker's private chat with a
 * line here (secret-delivery.ts). `onMessage` reuses that message of ours when it is here.
 */
async function startQr(
  deps: QrFeatureDeps,
  ctx: BotContext,
  instance: string,
  options: { replyTo?: number; onMessage?: MessageRef; graceMs?: number },
): Promise<void> {
  const userId = ctx.from?.id ?? 0;
  await rememberName(ctx, deps.userNames);
  const request = { instance, userId, locale: ctx.locale, graceMs: options.graceMs };
  let result: StartResult | undefined;
  const delivery = await deliverSecret(ctx, {
    trustedChatIds: deps.trustedChatIds,
    instance,
    startPayload: `qr-${instance}`,
    show: async (chatId, place) => {
      const here = place === "here";
      result =
        here && options.onMessage
          ? await deps.starter.startOnMessage({ ...request, target: options.onMessage })
          : await deps.starter.startInNewMessage({
              ...request,
              chatId,
              replyTo: here ? options.replyTo : undefined,
            });
    },
  });
  await deps.audit.record({
    action: "qr",
    userId,
    chatId: ctx.chat?.id ?? 0,
    instance,
    result: result
      ? `${result.started}${delivery === "privately" ? " (privately)" : ""}`
      : "refused: no private chat",
  });
}

async function handleButton(
  deps: QrFeatureDeps,
  ctx: BotContext,
  callback: QrCallback,
  target: MessageRef,
) {
  const { instance } = callback;
  const { t } = ctx;
  const keyboards = qrKeyboards(t);
  const userId = ctx.from?.id ?? 0;
  const log = deps.logger.child({ instance, userId, chatId: target.chatId });
  const audit = (action: "cancel" | "logout", result: string) =>
    deps.audit.record({ action, userId, chatId: target.chatId, instance, result });
  const press = { action: "logout", instance, userId };
  switch (callback.action) {
    case "start": {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.starting });
      return startQr(deps, ctx, instance, {});
    }
    case "new": {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.starting });
      return startQr(deps, ctx, instance, { onMessage: target });
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
        // The answer first: the edit below waits for the chat's turn (pacing), the press must not.
        await ctx.answerCallbackQuery({ text: t.qr.callbacks.cancelled });
        await deps.screen.showEnd(target, instance, { kind: "cancelled", by: userId }, ctx.locale);
        await audit("cancel", "done");
        log.info(
          { action: "cancel", result: "done", sessionId: record.sessionId },
          "queued QR session cancelled",
        );
        return;
      }
      await deps.store.requestCancel(instance, record.sessionId, userId);
      await audit("cancel", "requested");
      log.info(
        { action: "cancel", result: "requested", sessionId: record.sessionId },
        "QR session cancel requested",
      );
      return ctx.answerCallbackQuery({ text: t.qr.callbacks.cancelling });
    }
    case "logout": {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.confirmLogout });
      await deps.confirmations.arm(target, press);
      await deps.screen.showButtons(
        target,
        t.qr.confirmLogout(instance),
        keyboards.confirmLogout(instance),
      );
      return;
    }
    case "logout-no": {
      const decision = await deps.confirmations.withdraw(target, userId);
      if (decision === "not-yours")
        return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance) });
      await ctx.answerCallbackQuery();
      if (decision === "already-done") return;
      await deps.screen.showButtons(
        target,
        t.qr.logoutKept(instance),
        keyboards.logoutAndQr(instance),
      );
      return;
    }
    case "logout-yes": {
      const decision = await deps.confirmations.take(target, press);
      if (decision === "not-yours")
        return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance) });
      if (decision === "already-done")
        return ctx.answerCallbackQuery({ text: t.access.confirm.alreadyDone });
      if (decision === "expired") {
        await ctx.answerCallbackQuery({ text: t.access.confirm.expired });
        await deps.screen.showButtons(
          target,
          t.qr.logoutKept(instance),
          keyboards.logoutAndQr(instance),
        );
        return;
      }
      const found = ctx.access.lookup(instance);
      if (!found.found) return ctx.answerCallbackQuery({ text: t.callbacks.stale });
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.loggingOut });
      await deps.screen.showLoggingOut(target, instance, ctx.locale);
      try {
        await deps.greenApi.logout(found.instance);
      } catch (error) {
        log.warn({ err: error }, "log out failed");
        const reason = error instanceof Error ? error.message : "unknown error";
        await audit("logout", `failed: ${reason}`);
        await deps.screen.showEnd(target, instance, { kind: "needs-logout" }, ctx.locale);
        await deps.screen.showButtons(
          target,
          t.qr.logoutFailed(instance, reason),
          keyboards.logoutAndQr(instance),
        );
        return;
      }
      await audit("logout", "done");
      return startQr(deps, ctx, instance, { onMessage: target, graceMs: AFTER_LOGOUT_GRACE_MS });
    }
  }
}
