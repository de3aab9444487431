import { Composer } from "grammy";
import type { AlertClaims } from "../../../alerts/claims.js";
import { renderAlert } from "../../alert-view.js";
import { alertCallbacks } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import type { AlertTexts } from "../../alert-language.js";
import { missAnswer } from "../../instance-replies.js";
import { classifyTelegramError } from "../../telegram-errors.js";
import { rememberName, type UserNameSink } from "../../user-names.js";

export interface ClaimFeatureDeps {
  /** Without the watcher there is no incident to claim: a press then says so. */
  alertClaims: AlertClaims;
  /** Alert messages are in ALERT_LANGUAGE, whoever presses. */
  alertTexts: AlertTexts;
  userNames: UserNameSink;
}

/**
 * "I'm on it" on a group alert: the first operator to press it owns the incident, and the alert
 * says "👤 Ivan is on it" for everyone (this message at once, the incident's other alerts at the
 * watcher's next run). A later press hears who has it; nothing changes.
 */
export function claimFeature(deps: ClaimFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(alertCallbacks.pattern, async (ctx) => {
    const callback = alertCallbacks.decode(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!callback || !message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const found = ctx.access.lookup(callback.instance);
    if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
    const instance = found.instance.name;
    const name = ctx.from.first_name.trim().slice(0, 64) || `user ${ctx.from.id}`;
    await rememberName(ctx, deps.userNames);
    const pressed = { chatId: message.chat.id, messageId: message.message_id };
    const outcome = await deps.alertClaims.claim(instance, name, pressed);
    const a = ctx.t.alerts.claim;
    if (outcome.kind === "none") return ctx.answerCallbackQuery({ text: a.nothing(instance) });
    if (outcome.kind === "taken") return ctx.answerCallbackQuery({ text: a.taken(outcome.by) });
    await ctx.answerCallbackQuery({ text: a.yours(instance) });
    if (!outcome.message) return;
    const view = renderAlert(outcome.message.items, await deps.alertTexts.texts(), () => true, {
      claimable: pressed.chatId < 0,
    });
    await ctx
      .editMessageText(view.text, {
        parse_mode: "HTML",
        reply_markup: view.keyboard,
        link_preview_options: { is_disabled: true },
      })
      .catch((error: unknown) => {
        const result = classifyTelegramError(error);
        if (result.kind !== "done" && result.kind !== "gone") throw error;
      });
  });
  return composer;
}
