import type { Instance } from "../../../config/index.js";
import type { PairingService } from "../../../pairing/pairing-service.js";
import type { PairingStore } from "../../../pairing/pairing-store.js";
import {
  type CountryCode,
  countryOf,
  EXAMPLE_PHONE,
  parseTypedPhone,
} from "../../../pairing/phone.js";
import { InlineKeyboard } from "grammy";
import { codeCallbacks } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { phoneForChat } from "../../phone-privacy.js";
import { deliverSecret } from "../../secret-delivery.js";
import type { MessageRef } from "../../session-screen.js";
import { rememberName, type UserNameSink } from "../../user-names.js";

/** The remembered numbers, as the bot reads them (pairing/known-phones.ts). */
export interface KnownPhoneSource {
  get(instance: string): Promise<{ phone: string } | undefined>;
  many(instances: readonly string[]): Promise<Map<string, { phone: string }>>;
}

export interface CodeRequestDeps {
  pairing: PairingService;
  pairingStore: PairingStore;
  /** Chats where a code may be shown besides the asker's private chat (SECRET_CHAT_IDS). */
  trustedChatIds: readonly number[];
  /** DEFAULT_PHONE_COUNTRY: how numbers typed without "+" or "00" are read; unset: they are asked about. */
  defaultPhoneCountry?: CountryCode;
  /** Each instance's last known number (pairing/known-phones.ts): "Code to +7 900 ···67". */
  knownPhones: KnownPhoneSource;
  /** Who asked, by first name: the closure and the alert say "linked by Ivan". */
  userNames: UserNameSink;
}

export const replyTo = (messageId: number) => ({
  message_id: messageId,
  allow_sending_without_reply: true,
});

/** A phone number typed in a command or a reply: a code for it, or why it is not a number. */
export async function requestForTypedPhone(
  ctx: BotContext,
  deps: CodeRequestDeps,
  instance: Instance,
  typed: string,
) {
  if (!ctx.chat || !ctx.msg) return;
  // Without DEFAULT_PHONE_COUNTRY, a national number is read in the country of the instance's
  // last known number: a team links the same country's phones.
  const known = await deps.knownPhones.get(instance.name).catch(() => undefined);
  const fallbackCountry = known ? countryOf(known.phone) : undefined;
  const phone = parseTypedPhone(typed, {
    defaultCountry: deps.defaultPhoneCountry,
    ...(fallbackCountry ? { fallbackCountry } : {}),
  });
  if (!phone.ok && phone.asGreenApiFormat) {
    return offerGreenApiFormat(ctx, deps, instance, typed, phone.asGreenApiFormat);
  }
  if (!phone.ok) {
    return ctx.reply(ctx.t.code.badPhone(typed, phone.reason, phone.callingCode), {
      parse_mode: "HTML",
      reply_parameters: replyTo(ctx.msg.message_id),
    });
  }
  await requestCode(ctx, deps, instance, phone.digits, { replyTo: ctx.msg.message_id });
}

/**
 * "79001234567", GREEN-API's own format, with no country set: never sent on a guess, but read with
 * its country code and offered, one tap away. The button is "New code" of this message (the
 * number is kept for it as for a code message), so it passes the access model as any code button.
 */
async function offerGreenApiFormat(
  ctx: BotContext,
  deps: CodeRequestDeps,
  instance: Instance,
  typed: string,
  read: { digits: string; country?: CountryCode },
) {
  if (!ctx.chat || !ctx.msg) return;
  // Masked in a group, whole in a private chat, as every number the bot shows.
  const shown = phoneForChat(read.digits, ctx.chat.id);
  const offer = await ctx.reply(ctx.t.code.asGreenApiFormat(typed, shown, read.country), {
    parse_mode: "HTML",
    reply_parameters: replyTo(ctx.msg.message_id),
    reply_markup: new InlineKeyboard().text(
      ctx.t.code.buttons.sendTo(shown),
      codeCallbacks.encode({ action: "new", instance: instance.name }),
    ),
  });
  await deps.pairingStore.rememberPhone(offer.chat.id, offer.message_id, read.digits);
}

/**
 * A pairing code for `phone`, where a code may be shown (secret-delivery.ts): on `target` or as
 * a reply to `replyTo` when that is here, else in a new message in the asker's private chat.
 */
export async function requestCode(
  ctx: BotContext,
  deps: CodeRequestDeps,
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

/** "Reply with the phone number", where the code will be shown: the reply gets it in its chat. */
export async function askPhone(
  ctx: BotContext,
  deps: CodeRequestDeps,
  instance: Instance,
  replyToId?: number,
) {
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
