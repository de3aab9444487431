import { type CallbackQueryContext, Composer } from "grammy";
import type { SessionStarter } from "../../../qr-session/session-starter.js";
import { codeCallbacks } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { missAnswer, missText } from "../../instance-replies.js";
import { instancePicker } from "../../keyboards.js";
import { deliverSecret, onStartLink } from "../../secret-delivery.js";
import { codeLogout, type CodeLogoutDeps } from "./logout.js";
import {
  askPhone,
  type CodeRequestDeps,
  replyTo,
  requestCode,
  requestForTypedPhone,
} from "./request.js";
import { onCommand } from "../../commands.js";

export type { KnownPhoneSource } from "./request.js";

export interface CodeFeatureDeps extends CodeRequestDeps, CodeLogoutDeps {
  /** "Scan a QR instead" on a code message. */
  starter: SessionStarter;
}

/**
 * `/code <instance> <phone>`: a pairing code to type on the phone, for operators with one phone.
 * Without a phone number (or from an alert's button) the bot asks for it; the reply completes it.
 */
export function codeFeature(deps: CodeFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onCommand(composer, "code", async (ctx) => {
    const visible = ctx.access.names();
    const [name, ...phoneWords] = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (!name) {
      if (visible.length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
      return ctx.reply(ctx.t.code.pick, {
        reply_markup: instancePicker(visible, (instance) =>
          codeCallbacks.encode({ action: "ask", instance }),
        ),
      });
    }
    const found = ctx.access.lookup(name);
    if (!found.found) {
      return ctx.reply(missText(ctx, found, name), {
        parse_mode: "HTML",
        reply_parameters: replyTo(ctx.msg.message_id),
      });
    }
    if (phoneWords.length === 0) return askPhone(ctx, deps, found.instance, ctx.msg.message_id);
    await requestForTypedPhone(ctx, deps, found.instance, phoneWords.join(" "));
  });

  // The private chat a "press Start first" link opened: ask for the number there.
  onCommand(
    composer,
    "start",
    onStartLink("code", (ctx, instance) => askPhone(ctx, deps, instance)),
  );

  // The answer to "reply with the phone number".
  composer.on("message:text", async (ctx, next) => {
    const prompt = ctx.msg.reply_to_message;
    if (!prompt || prompt.from?.id !== ctx.me.id) return next();
    const name = await deps.pairingStore.promptedInstance(ctx.chat.id, prompt.message_id);
    if (!name) return next();
    const found = ctx.access.lookup(name);
    if (!found.found) {
      return ctx.reply(missText(ctx, found, name), {
        parse_mode: "HTML",
        reply_parameters: replyTo(ctx.msg.message_id),
      });
    }
    await requestForTypedPhone(ctx, deps, found.instance, ctx.msg.text);
  });

  composer.callbackQuery(codeCallbacks.pattern, (ctx) => onButton(deps, ctx));

  return composer;
}

/** "Scan a QR instead": a new QR session, where a QR may be shown (secret-delivery.ts). */
function qrInstead(ctx: BotContext, deps: CodeFeatureDeps, instance: string) {
  return deliverSecret(ctx, {
    trustedChatIds: deps.trustedChatIds,
    instance,
    startPayload: `qr-${instance}`,
    show: (chatId) =>
      deps.starter.startInNewMessage({
        instance,
        userId: ctx.from?.id ?? 0,
        locale: ctx.locale,
        chatId,
      }),
  });
}

/** The buttons of code messages, alerts and /status: the instance is checked again first. */
async function onButton(deps: CodeFeatureDeps, ctx: CallbackQueryContext<BotContext>) {
  const callback = codeCallbacks.decode(ctx.callbackQuery.data);
  const message = ctx.callbackQuery.message;
  if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
  const found = ctx.access.lookup(callback.instance);
  if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
  const instance = found.instance;
  const target = { chatId: message.chat.id, messageId: message.message_id };
  const { t } = ctx;
  const logout = codeLogout(deps, ctx, target);
  switch (callback.action) {
    case "ask": {
      await ctx.answerCallbackQuery();
      return askPhone(ctx, deps, instance);
    }
    case "known": {
      // One tap from an alert or /status: the number the instance had while it was linked.
      const known = await deps.knownPhones.get(instance.name).catch(() => undefined);
      if (!known) {
        await ctx.answerCallbackQuery({ text: t.code.callbacks.noKnownPhone });
        return askPhone(ctx, deps, instance);
      }
      await ctx.answerCallbackQuery({ text: t.code.callbacks.requesting });
      await requestCode(ctx, deps, instance, known.phone, {});
      return;
    }
    case "new": {
      const phone = await deps.pairingStore.phoneFor(target.chatId, target.messageId);
      if (!phone) return ctx.answerCallbackQuery({ text: t.code.callbacks.noPhone });
      // Within the cooldown the code on screen still works: keep it, and say when to press again.
      const waitMs = await deps.pairing.cooldownLeftMs(instance.name);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        // "Still works" only where this message shows a live code (not a "could not issue" one).
        const live = await deps.pairingStore.get(instance.name);
        const codeShown =
          live?.chatId === target.chatId &&
          live.messageId === target.messageId &&
          live.expiresAt > Date.now();
        return ctx.answerCallbackQuery({
          text: codeShown
            ? t.code.callbacks.cooldown(seconds)
            : t.code.callbacks.cooldownNoCode(seconds),
          show_alert: true,
        });
      }
      await ctx.answerCallbackQuery({ text: t.code.callbacks.requesting });
      await requestCode(ctx, deps, instance, phone, { target });
      return;
    }
    case "logout":
      return logout.ask(instance.name);
    case "logout-no":
      return logout.no(instance.name);
    case "logout-yes":
      return logout.yes(instance, (phone) =>
        requestCode(ctx, deps, instance, phone, { target, afterLogout: true }),
      );
    case "qr":
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.starting });
      return qrInstead(ctx, deps, instance.name);
  }
}
