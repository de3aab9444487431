import { Composer } from "grammy";
import type { Instance, InstanceRegistry } from "../../config/index.js";
import type { PairingService } from "../../pairing/pairing-service.js";
import type { PairingStore } from "../../pairing/pairing-store.js";
import { type CountryCode, EXAMPLE_PHONE, parseTypedPhone } from "../../pairing/phone.js";
import type { SessionStarter } from "../../qr-session/session-starter.js";
import { codeCallbacks } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { instancePicker } from "../keyboards.js";

export interface CodeFeatureDeps {
  instances: InstanceRegistry;
  pairing: PairingService;
  pairingStore: PairingStore;
  starter: SessionStarter;
  /** DEFAULT_PHONE_COUNTRY: how numbers typed without "+" or "00" are read; unset: they are asked about. */
  defaultPhoneCountry?: CountryCode;
}

/**
 * `/code <instance> <phone>`: a pairing code to type on the phone, for operators with one phone.
 * Without a phone number (or from an alert's button) the bot asks for it; the reply completes it.
 */
export function codeFeature(deps: CodeFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("code", async (ctx) => {
    const userId = ctx.from?.id ?? 0;
    const visible = deps.instances.visibleTo(userId).map((i) => i.name);
    const [name, ...phoneWords] = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (!name) {
      if (visible.length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
      return ctx.reply(ctx.t.code.pick, {
        reply_markup: instancePicker(visible, (instance) =>
          codeCallbacks.encode({ action: "ask", instance }),
        ),
      });
    }
    const instance = deps.instances.findFor(userId, name);
    if (!instance) {
      return ctx.reply(ctx.t.unknownInstance(name, visible), {
        parse_mode: "HTML",
        reply_parameters: replyTo(ctx.msg.message_id),
      });
    }
    if (phoneWords.length === 0) return askPhone(ctx, deps, instance, ctx.msg.message_id);
    await requestForTypedPhone(ctx, deps, instance, phoneWords.join(" "));
  });

  // The answer to "reply with the phone number".
  composer.on("message:text", async (ctx, next) => {
    const prompt = ctx.msg.reply_to_message;
    if (!prompt || prompt.from?.id !== ctx.me.id) return next();
    const name = await deps.pairingStore.promptedInstance(ctx.chat.id, prompt.message_id);
    if (!name) return next();
    const userId = ctx.from.id;
    const instance = deps.instances.findFor(userId, name);
    if (!instance) return next();
    await requestForTypedPhone(ctx, deps, instance, ctx.msg.text);
  });

  composer.callbackQuery(codeCallbacks.pattern, async (ctx) => {
    const callback = codeCallbacks.decode(ctx.callbackQuery.data);
    const userId = ctx.from.id;
    const instance = callback && deps.instances.findFor(userId, callback.instance);
    const message = ctx.callbackQuery.message;
    if (!callback || !instance || !message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const target = { chatId: message.chat.id, messageId: message.message_id };
    switch (callback.action) {
      case "ask": {
        await ctx.answerCallbackQuery();
        return askPhone(ctx, deps, instance);
      }
      case "new": {
        const phone = await deps.pairingStore.phoneFor(target.chatId, target.messageId);
        if (!phone) return ctx.answerCallbackQuery({ text: ctx.t.code.callbacks.noPhone });
        await ctx.answerCallbackQuery({ text: ctx.t.code.callbacks.requesting });
        await deps.pairing.request({
          instance,
          phone,
          userId,
          locale: ctx.locale,
          chatId: target.chatId,
          target,
        });
        return;
      }
      case "qr": {
        await ctx.answerCallbackQuery({ text: ctx.t.qr.callbacks.starting });
        await deps.starter.startInNewMessage({
          instance: instance.name,
          userId,
          locale: ctx.locale,
          chatId: target.chatId,
        });
        return;
      }
    }
  });

  return composer;
}

/** A phone number typed in a command or a reply: a code for it, or why it is not a number. */
async function requestForTypedPhone(
  ctx: BotContext,
  deps: CodeFeatureDeps,
  instance: Instance,
  typed: string,
) {
  if (!ctx.chat || !ctx.msg) return;
  const replyParameters = replyTo(ctx.msg.message_id);
  // The country of the instance's last known number (issue #13) will be the fallbackCountry.
  const phone = parseTypedPhone(typed, { defaultCountry: deps.defaultPhoneCountry });
  if (!phone.ok) {
    return ctx.reply(ctx.t.code.badPhone(typed, phone.reason, phone.callingCode), {
      parse_mode: "HTML",
      reply_parameters: replyParameters,
    });
  }
  await deps.pairing.request({
    instance,
    phone: phone.digits,
    userId: ctx.from?.id ?? 0,
    locale: ctx.locale,
    chatId: ctx.chat.id,
    replyTo: ctx.msg.message_id,
  });
}

async function askPhone(
  ctx: BotContext,
  deps: CodeFeatureDeps,
  instance: Instance,
  replyToId?: number,
) {
  if (!ctx.chat) return;
  const prompt = await ctx.api.sendMessage(ctx.chat.id, ctx.t.code.askPhone(instance.name), {
    parse_mode: "HTML",
    reply_markup: {
      force_reply: true,
      selective: true,
      input_field_placeholder: EXAMPLE_PHONE,
    },
    ...(replyToId ? { reply_parameters: replyTo(replyToId) } : {}),
  });
  await deps.pairingStore.rememberPrompt(ctx.chat.id, prompt.message_id, instance.name);
}

const replyTo = (messageId: number) => ({
  message_id: messageId,
  allow_sending_without_reply: true,
});
