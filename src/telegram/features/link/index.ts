import { type CallbackQueryContext, Composer } from "grammy";
import type { LinkService } from "../../../link-page/link-service.js";
import { linkCallbacks } from "../../callback-data.js";
import { onCommand } from "../../commands.js";
import type { BotContext } from "../../context.js";
import { missAnswer, missText } from "../../instance-replies.js";
import { instancePicker } from "../../keyboards.js";
import { onStartLink } from "../../secret-delivery.js";
import { classifyTelegramError } from "../../telegram-errors.js";
import { rememberName, type UserNameSink } from "../../user-names.js";
import { linkKeyboard } from "./keyboard.js";
import { linkText } from "./view.js";

export interface LinkFeatureDeps {
  /** Undefined without PUBLIC_URL (or without the HTTP server): /link says what to set. */
  links?: LinkService;
  /** "linked through the link" names who made it. */
  userNames: UserNameSink;
}

/**
 * `/link <instance>`: a link page for whoever holds the phone. Like a QR, the link is a key to
 * the instance's WhatsApp while it lives, so it goes to the asker's private chat only (never a
 * group, trusted or not: a link travels further than a photo).
 */
export function linkFeature(deps: LinkFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onCommand(composer, "link", async (ctx) => {
    const replyOptions = {
      parse_mode: "HTML" as const,
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    };
    if (!deps.links) return ctx.reply(ctx.t.link.notConfigured, replyOptions);
    const argument = ctx.match.trim();
    if (!argument) {
      const names = ctx.access.names();
      if (names.length === 0) return ctx.reply(ctx.t.toolkit.noInstances, replyOptions);
      return ctx.reply(ctx.t.link.usage(names), {
        ...replyOptions,
        reply_markup: instancePicker(names, (instance) =>
          linkCallbacks.encode({ action: "new", instance }),
        ),
      });
    }
    const found = ctx.access.lookup(argument);
    if (!found.found) return ctx.reply(missText(ctx, found, argument), replyOptions);
    await makeLink(deps.links, deps, ctx, found.instance.name);
  });

  onCommand(
    composer,
    "start",
    onStartLink("link", async (ctx, instance) => {
      if (!deps.links) return ctx.reply(ctx.t.link.notConfigured);
      await makeLink(deps.links, deps, ctx, instance.name);
    }),
  );

  composer.callbackQuery(linkCallbacks.pattern, (ctx) => onButton(deps, ctx));
  return composer;
}

/**
 * A new link in the asker's private chat. Asked in a group: that chat gets one line saying where
 * it went (or how to open the private chat first); the link never appears there.
 */
async function makeLink(
  links: LinkService,
  deps: LinkFeatureDeps,
  ctx: BotContext,
  instance: string,
): Promise<void> {
  const userId = ctx.from?.id;
  const chat = ctx.chat;
  if (userId === undefined || !chat) return;
  await rememberName(ctx, deps.userNames);
  const here = chat.type === "private" && chat.id === userId;
  const t = ctx.t;
  let result;
  try {
    result = await links.create(
      { instance, userId, chatId: userId, locale: ctx.locale },
      async (url, expiresAt) => {
        const sent = await ctx.api.sendMessage(
          userId,
          linkText(t, { instance, expiresAt }, "live", url),
          {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            reply_markup: linkKeyboard(t, instance, url),
          },
        );
        return sent.message_id;
      },
    );
  } catch (error) {
    const outcome = classifyTelegramError(error);
    if (here || !(outcome.kind === "gone" && outcome.scope === "chat")) throw error;
    const start = `https://t.me/${ctx.me.username}?start=link-${instance}`;
    await ctx.reply(t.access.startFirst(instance, start), { parse_mode: "HTML" });
    return;
  }
  if (result.kind === "limit") {
    await ctx.api.sendMessage(here ? chat.id : userId, t.link.limit(instance, result.max), {
      parse_mode: "HTML",
    });
  }
  if (!here && result.kind === "created") {
    await ctx.reply(t.access.sentPrivately(instance), { parse_mode: "HTML" });
  }
}

async function onButton(deps: LinkFeatureDeps, ctx: CallbackQueryContext<BotContext>) {
  const callback = linkCallbacks.decode(ctx.callbackQuery.data);
  const message = ctx.callbackQuery.message;
  if (!callback || !message || !deps.links)
    return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
  const found = ctx.access.lookup(callback.instance);
  if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
  const instance = found.instance.name;
  if (callback.action === "new") {
    await ctx.answerCallbackQuery();
    return makeLink(deps.links, deps, ctx, instance);
  }
  // Revoke: the message names the link; the button only the instance, checked against it.
  const record = await deps.links.linkOfMessage(message.chat.id, message.message_id);
  if (!record || record.instance !== instance)
    return ctx.answerCallbackQuery({ text: ctx.t.link.callbacks.notLive });
  const revoked = await deps.links.revoke(record, ctx.from.id);
  await ctx.answerCallbackQuery({
    text: revoked ? ctx.t.link.callbacks.revoked : ctx.t.link.callbacks.notLive,
  });
}
