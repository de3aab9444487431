import type { CommandContext } from "grammy";
import type { Instance } from "../config/index.js";
import { classifyTelegramError } from "./telegram-errors.js";
import { type SecretPlace, secretPlace } from "../access/secret-place.js";
import type { BotContext } from "./context.js";
import { missText } from "./instance-replies.js";

export type Delivery = SecretPlace | "start-first";

/**
 * Shows a QR code or a pairing code where it may be shown (access/secret-place.ts). `show` gets
 * the chat to use: this one when it is the asker's private chat or a trusted chat, else the
 * asker's private chat, and this chat then gets one line saying so. An asker who never started
 * the bot cannot be written to (Telegram: 403 "bot can't initiate conversation with a user"):
 * the line then links to a private chat whose Start button repeats the request there.
 */
export async function deliverSecret(
  ctx: BotContext,
  options: {
    trustedChatIds: readonly number[];
    instance: string;
    /** What a Start press in the private chat asks for again: `qr-shop`, `code-shop`. */
    startPayload: string;
    show: (chatId: number, place: SecretPlace) => Promise<unknown>;
  },
): Promise<Delivery> {
  const chat = ctx.chat;
  const userId = ctx.from?.id;
  if (!chat || userId === undefined) return "start-first";
  const place = secretPlace(
    { chatId: chat.id, chatType: chat.type, userId },
    options.trustedChatIds,
  );
  if (place === "here") {
    await options.show(chat.id, place);
    return place;
  }
  const { t } = ctx;
  try {
    await options.show(userId, place);
  } catch (error) {
    // The private chat refuses the bot (never started, or blocked): offer the Start link here.
    const outcome = classifyTelegramError(error);
    if (!(outcome.kind === "gone" && outcome.scope === "chat")) throw error;
    const link = `https://t.me/${ctx.me.username}?start=${options.startPayload}`;
    await ctx.api.sendMessage(chat.id, t.access.startFirst(options.instance, link), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...replyToTheAsker(ctx),
    });
    return "start-first";
  }
  await ctx.api.sendMessage(chat.id, t.access.sentPrivately(options.instance), {
    parse_mode: "HTML",
    ...replyToTheAsker(ctx),
  });
  return place;
}

function replyToTheAsker(ctx: BotContext) {
  const messageId = ctx.message?.message_id;
  return messageId
    ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } }
    : {};
}

type StartAction = "qr" | "code" | "link";

/** `/start qr-shop` from a deep link: the action and instance, or nothing. */
export function startPayload(text: string): { action: StartAction; instance: string } | undefined {
  const match = /^(qr|code|link)-([a-z0-9_-]{1,32})$/.exec(text.trim());
  if (!match) return undefined;
  return { action: match[1] as StartAction, instance: match[2] ?? "" };
}

/**
 * `/start qr-shop` in a private chat (the link of a "press Start first" line): checks the right
 * again and does what was asked in the group; any other /start goes on to the next handler.
 */
export function onStartLink(
  action: StartAction,
  run: (ctx: CommandContext<BotContext>, instance: Instance) => Promise<unknown>,
) {
  return async (ctx: CommandContext<BotContext>, next: () => Promise<void>) => {
    const payload = startPayload(ctx.match);
    if (payload?.action !== action || ctx.chat.type !== "private") return next();
    const found = ctx.access.lookup(payload.instance, "operate");
    if (!found.found)
      return ctx.reply(missText(ctx, found, payload.instance), { parse_mode: "HTML" });
    await run(ctx, found.instance);
  };
}
