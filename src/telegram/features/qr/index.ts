import { type CallbackQueryContext, Composer } from "grammy";
import type { AuditLog } from "../../../audit/audit-log.js";
import type { SessionStarter, StartResult } from "../../../qr-session/session-starter.js";
import { decodeQrCallback, encodeQrCallback, QR_CALLBACK_PATTERN } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { missAnswer, missText } from "../../instance-replies.js";
import { instancePicker } from "../../keyboards.js";
import { deliverSecret, onStartLink } from "../../secret-delivery.js";
import type { MessageRef } from "../../session-screen.js";
import { rememberName, type UserNameSink } from "../../user-names.js";
import { cancelQr, type QrCancelDeps } from "./cancel.js";
import { qrLogout, type QrLogoutDeps } from "./logout.js";
import { onCommand } from "../../commands.js";

export interface QrFeatureDeps extends QrCancelDeps, QrLogoutDeps {
  starter: SessionStarter;
  audit: AuditLog;
  /** Chats where a QR may be shown besides the asker's private chat (SECRET_CHAT_IDS). */
  trustedChatIds: readonly number[];
  /** Who started a session, by first name: the closure and the alert say "linked by Ivan". */
  userNames: UserNameSink;
}

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
      // "Which instance?" with one tap per instance, as /code, /logout and /reboot ask.
      return ctx.reply(ctx.t.toolkit.pick.qr, {
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

  composer.callbackQuery(QR_CALLBACK_PATTERN, (ctx) => onButton(deps, ctx));

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

/** The buttons of QR messages, pickers, alerts and /status: the instance is checked again first. */
async function onButton(deps: QrFeatureDeps, ctx: CallbackQueryContext<BotContext>) {
  const callback = decodeQrCallback(ctx.callbackQuery.data);
  const message = ctx.callbackQuery.message;
  if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
  const found = ctx.access.lookup(callback.instance);
  if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
  const instance = found.instance;
  const target = { chatId: message.chat.id, messageId: message.message_id };
  const logout = qrLogout(deps, ctx, target);
  switch (callback.action) {
    case "start":
    case "new":
      await ctx.answerCallbackQuery({ text: ctx.t.qr.callbacks.starting });
      // New QR reuses its message; a picker's button starts a new one.
      return startQr(
        deps,
        ctx,
        instance.name,
        callback.action === "new" ? { onMessage: target } : {},
      );
    case "cancel":
      return cancelQr(deps, ctx, instance.name, target);
    case "logout":
      return logout.ask(instance.name);
    case "logout-no":
      return logout.no(instance.name);
    case "logout-yes":
      return logout.yes(instance, (graceMs) =>
        startQr(deps, ctx, instance.name, { onMessage: target, graceMs }),
      );
  }
}
