import { Composer } from "grammy";
import type { ConfirmationStore } from "../../access/confirmation-store.js";
import type { AuditLog } from "../../audit/audit-log.js";
import type { Instance } from "../../config/index.js";
import type { GreenApiClient } from "../../green-api/client.js";
import { endStateOf, GreenApiError } from "../../green-api/errors.js";
import type { PairingService } from "../../pairing/pairing-service.js";
import type { PairingStore } from "../../pairing/pairing-store.js";
import {
  type CountryCode,
  countryOf,
  EXAMPLE_PHONE,
  parseTypedPhone,
} from "../../pairing/phone.js";
import type { SessionStarter } from "../../qr-session/session-starter.js";
import { codeCallbacks } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { missAnswer, missText } from "../instance-replies.js";
import { codeKeyboards, instancePicker } from "../keyboards.js";
import { phoneForChat } from "../phone-privacy.js";
import { deliverSecret, onStartLink } from "../secret-delivery.js";
import { rememberName, type UserNameSink } from "../user-names.js";
import type { MessageRef } from "../session-screen.js";
import { onCommand } from "../commands.js";

export interface CodeFeatureDeps {
  pairing: PairingService;
  /** For "Log out & get a code" on an instance that is still linked. */
  greenApi: GreenApiClient;
  confirmations: ConfirmationStore;
  audit: AuditLog;
  pairingStore: PairingStore;
  starter: SessionStarter;
  /** Chats where a code may be shown besides the asker's private chat (SECRET_CHAT_IDS). */
  trustedChatIds: readonly number[];
  /** DEFAULT_PHONE_COUNTRY: how numbers typed without "+" or "00" are read; unset: they are asked about. */
  defaultPhoneCountry?: CountryCode;
  /** Each instance's last known number (pairing/known-phones.ts): "Code to +7 900 ···67". */
  knownPhones?: KnownPhoneSource;
  /** Who asked, by first name: the closure and the alert say "linked by Ivan". */
  userNames?: UserNameSink;
}

/** The remembered numbers, as the bot reads them. */
export interface KnownPhoneSource {
  get(instance: string): Promise<{ phone: string } | undefined>;
  many(instances: readonly string[]): Promise<Map<string, { phone: string }>>;
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

  composer.callbackQuery(codeCallbacks.pattern, async (ctx) => {
    const callback = codeCallbacks.decode(ctx.callbackQuery.data);
    const userId = ctx.from.id;
    const message = ctx.callbackQuery.message;
    if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    const found = ctx.access.lookup(callback.instance);
    if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
    const instance = found.instance;
    const target = { chatId: message.chat.id, messageId: message.message_id };
    const { t } = ctx;
    const press = { action: "code-logout", instance: instance.name, userId };
    switch (callback.action) {
      case "ask": {
        await ctx.answerCallbackQuery();
        return askPhone(ctx, deps, instance);
      }
      case "known": {
        // One tap from an alert or /status: the number the instance had while it was linked.
        const known = await deps.knownPhones?.get(instance.name).catch(() => undefined);
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
        if (!phone) return ctx.answerCallbackQuery({ text: ctx.t.code.callbacks.noPhone });
        await ctx.answerCallbackQuery({ text: ctx.t.code.callbacks.requesting });
        await requestCode(ctx, deps, instance, phone, { target });
        return;
      }
      case "logout": {
        const phone = await deps.pairingStore.phoneFor(target.chatId, target.messageId);
        if (!phone) return ctx.answerCallbackQuery({ text: t.code.callbacks.noPhone });
        await ctx.answerCallbackQuery({ text: t.code.callbacks.confirmLogout });
        await deps.confirmations.arm(target, press);
        await ctx.editMessageText(
          t.code.confirmLogout(instance.name, phoneForChat(phone, target.chatId)),
          { parse_mode: "HTML", reply_markup: codeKeyboards(t).confirmLogout(instance.name) },
        );
        return;
      }
      case "logout-no": {
        const decision = await deps.confirmations.withdraw(target, userId);
        if (decision === "not-yours")
          return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance.name) });
        await ctx.answerCallbackQuery();
        if (decision === "already-done") return;
        await ctx.editMessageText(t.code.logoutKept(instance.name), {
          parse_mode: "HTML",
          reply_markup: codeKeyboards(t).logoutForCode(instance.name),
        });
        return;
      }
      case "logout-yes": {
        const decision = await deps.confirmations.take(target, press);
        if (decision === "not-yours")
          return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance.name) });
        if (decision === "already-done")
          return ctx.answerCallbackQuery({ text: t.access.confirm.alreadyDone });
        if (decision === "expired") {
          await ctx.answerCallbackQuery({ text: t.access.confirm.expired });
          await ctx.editMessageText(t.code.logoutKept(instance.name), {
            parse_mode: "HTML",
            reply_markup: codeKeyboards(t).logoutForCode(instance.name),
          });
          return;
        }
        const phone = await deps.pairingStore.phoneFor(target.chatId, target.messageId);
        if (!phone) return ctx.answerCallbackQuery({ text: t.code.callbacks.noPhone });
        await ctx.answerCallbackQuery({ text: t.code.callbacks.loggingOut });
        await ctx.editMessageText(t.code.loggingOut(instance.name), { parse_mode: "HTML" });
        const audit = (result: string) =>
          deps.audit.record({
            action: "logout",
            userId,
            chatId: target.chatId,
            instance: instance.name,
            result,
          });
        try {
          await deps.greenApi.logout(instance);
        } catch (error) {
          const end = endStateOf(error);
          const reason = end
            ? t.greenApi.reasons[end]
            : error instanceof GreenApiError
              ? error.failure === "rate-limited"
                ? t.greenApi.reasons["rate-limited"]
                : error.failure
              : "failed";
          await audit(`failed: ${end ?? reason}`);
          await ctx.editMessageText(t.code.logoutFailed(instance.name, reason), {
            parse_mode: "HTML",
            reply_markup: codeKeyboards(t).logoutForCode(instance.name),
          });
          return;
        }
        await audit("done");
        // The code for the same number, where a code may be shown (this message, or privately).
        await requestCode(ctx, deps, instance, phone, { target, afterLogout: true });
        return;
      }
      case "qr": {
        await ctx.answerCallbackQuery({ text: ctx.t.qr.callbacks.starting });
        await deliverSecret(ctx, {
          trustedChatIds: deps.trustedChatIds,
          instance: instance.name,
          startPayload: `qr-${instance.name}`,
          show: (chatId) =>
            deps.starter.startInNewMessage({
              instance: instance.name,
              userId,
              locale: ctx.locale,
              chatId,
            }),
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
  // Without DEFAULT_PHONE_COUNTRY, a national number is read in the country of the instance's
  // last known number: a team links the same country's phones.
  const known = await deps.knownPhones?.get(instance.name).catch(() => undefined);
  const fallbackCountry = known ? countryOf(known.phone) : undefined;
  const phone = parseTypedPhone(typed, {
    defaultCountry: deps.defaultPhoneCountry,
    ...(fallbackCountry ? { fallbackCountry } : {}),
  });
  if (!phone.ok) {
    return ctx.reply(ctx.t.code.badPhone(typed, phone.reason, phone.callingCode), {
      parse_mode: "HTML",
      reply_parameters: replyParameters,
    });
  }
  await requestCode(ctx, deps, instance, phone.digits, { replyTo: ctx.msg.message_id });
}

/**
 * A pairing code for `phone`, where a code may be shown (secret-delivery.ts): on `target` or as
 * a reply to `replyTo` when that is here, else in a new message in the asker's private chat.
 */
async function requestCode(
  ctx: BotContext,
  deps: CodeFeatureDeps,
  instance: Instance,
  phone: string,
  where: { target?: MessageRef; replyTo?: number; afterLogout?: boolean },
) {
  await rememberName(ctx, deps.userNames);
  return deliverSecret(ctx, {
    trustedChatIds: deps.trustedChatIds,
    instance: instance.name,
    startPayload: `code-${instance.name}`,
    show: (chatId, place) =>
      deps.pairing.request({
        instance,
        phone,
        userId: ctx.from?.id ?? 0,
        locale: ctx.locale,
        chatId,
        // Logging out was an admin's act already: the code after it is theirs to ask for.
        mayAdminister: where.afterLogout === true || mayAdminister(ctx, instance),
        ...(where.afterLogout ? { afterLogout: true } : {}),
        ...(place === "here" && where.target ? { target: where.target } : {}),
        ...(place === "here" && where.replyTo ? { replyTo: where.replyTo } : {}),
      }),
  });
}

async function askPhone(
  ctx: BotContext,
  deps: CodeFeatureDeps,
  instance: Instance,
  replyToId?: number,
) {
  // The prompt goes where the code will be shown: the reply to it gets the code in its chat.
  await deliverSecret(ctx, {
    trustedChatIds: deps.trustedChatIds,
    instance: instance.name,
    startPayload: `code-${instance.name}`,
    show: async (chatId, place) => {
      const prompt = await ctx.api.sendMessage(chatId, ctx.t.code.askPhone(instance.name), {
        parse_mode: "HTML",
        reply_markup: {
          force_reply: true,
          selective: true,
          input_field_placeholder: EXAMPLE_PHONE,
        },
        ...(replyToId && place === "here" ? { reply_parameters: replyTo(replyToId) } : {}),
      });
      await deps.pairingStore.rememberPrompt(chatId, prompt.message_id, instance.name);
    },
  });
}

/** Whether the asker may log the instance out or reboot it (the buttons offered for that). */
const mayAdminister = (ctx: BotContext, instance: Instance) =>
  ctx.access.lookup(instance.name, "administer").found;

const replyTo = (messageId: number) => ({
  message_id: messageId,
  allow_sending_without_reply: true,
});
