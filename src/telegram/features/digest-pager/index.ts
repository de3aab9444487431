import { Composer } from "grammy";
import type { AlertMessage, MessageRef } from "../../../alerts/watch-state.js";
import { renderDigestPage } from "../../alert-view.js";
import { digestCallbacks } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import type { AlertTexts } from "../../alert-language.js";
import { classifyTelegramError } from "../../telegram-errors.js";

export interface DigestPagerFeatureDeps {
  /** The alert messages the watcher keeps (alerts/alert-store.ts): the digest's items. */
  alertMessages: { message(ref: MessageRef): Promise<AlertMessage | undefined> };
  /** Alert messages are in ALERT_LANGUAGE, whoever presses. */
  alertTexts: AlertTexts;
}

/**
 * "Show all" on a mass-incident digest: a reply with the first page of every instance in it, and
 * ◀ ▶ on that reply editing it to the other pages. Each page lists only the instances the presser
 * may see, with QR / Code buttons only for those they may link (a viewer pages, links nothing).
 * Replies and edits go through the bot's Api, paced like every message (telegram/pacing).
 */
export function digestPagerFeature(deps: DigestPagerFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(digestCallbacks.pattern, async (ctx) => {
    const callback = digestCallbacks.decode(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!callback || !message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const t = await deps.alertTexts.texts();
    const digestId = callback.action === "all" ? message.message_id : callback.digest;
    const alert = await deps.alertMessages.message({
      chatId: message.chat.id,
      messageId: digestId,
    });
    if (!alert) return ctx.answerCallbackQuery({ text: t.alerts.pager.gone });
    const visible = new Set(ctx.access.names("view"));
    const operable = new Set(ctx.access.names("operate"));
    const view = renderDigestPage(
      alert.items.filter((item) => visible.has(item.instance)),
      callback.action === "all" ? 0 : callback.page,
      t,
      (instance) => operable.has(instance),
      digestId,
    );
    await ctx.answerCallbackQuery({ text: t.alerts.pager.page(view.page + 1, view.pages) });
    const options = {
      parse_mode: "HTML" as const,
      reply_markup: view.keyboard,
      link_preview_options: { is_disabled: true },
    };
    if (callback.action === "all") {
      await ctx.reply(view.text, {
        ...options,
        reply_parameters: { message_id: digestId, allow_sending_without_reply: true },
      });
      return;
    }
    await ctx.editMessageText(view.text, options).catch((error: unknown) => {
      // The same page pressed twice ("not modified") or the page deleted: nothing to do.
      const result = classifyTelegramError(error);
      if (result.kind !== "done" && result.kind !== "gone") throw error;
    });
  });
  return composer;
}
