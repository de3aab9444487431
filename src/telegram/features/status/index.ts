import { Composer } from "grammy";
import { statusCallbacks } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { missText } from "../../instance-replies.js";
import { classifyTelegramError } from "../../telegram-errors.js";
import { type Screen, type StatusScreenDeps, statusScreens } from "./screens.js";
import { onCommand } from "../../commands.js";

export type { MuteSource, QuotaSource, WatchSource } from "./screens.js";
export type StatusFeatureDeps = StatusScreenDeps;

/**
 * `/status` (every instance the operator may see) and `/status <instance>` (one, with history).
 * Up to STATUS_LIVE_MAX instances the list asks GREEN-API live (status/live-check.ts); above it,
 * it is the state watcher's records, a summary and pages (status/fleet-overview.ts).
 */
export function statusFeature(deps: StatusFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onCommand(composer, "status", async (ctx) => {
    const argument = ctx.match.trim();
    const visible = ctx.access.instances();
    if (visible.length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
    const screens = statusScreens(deps, ctx);
    let shown: Screen;
    if (argument) {
      const found = ctx.access.lookup(argument);
      if (!found.found) return ctx.reply(missText(ctx, found, argument), { parse_mode: "HTML" });
      shown = await screens.detail(found.instance, ctx.chat.id);
    } else {
      // The first page is never stale (only a ◀ ▶ press can ask for a page that is gone).
      shown =
        (screens.isFleet(visible) && (await screens.fleetPage(visible, { at: 0, exact: false }))) ||
        (await screens.live(visible, ctx.chat.id));
    }
    return ctx.reply(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard });
  });

  composer.callbackQuery(statusCallbacks.pattern, async (ctx) => {
    const callback = statusCallbacks.decode(ctx.callbackQuery.data);
    if (!callback || !ctx.callbackQuery.message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const chatId = ctx.callbackQuery.message.chat.id;
    // The presser's own instances, by their rights now: the button only says which page.
    const visible = ctx.access.instances();
    const screens = statusScreens(deps, ctx);
    const s = ctx.t.toolkit.status;
    let shown: Screen;
    if (screens.isFleet(visible)) {
      const exact = callback.action === "page";
      const view = await screens.fleetPage(visible, { at: callback.page, exact });
      if (!view) return ctx.answerCallbackQuery({ text: s.fleet.stale });
      await ctx.answerCallbackQuery({
        text: exact ? s.fleet.pageAnswer(view.page + 1, view.pages) : s.refreshed,
      });
      shown = view;
    } else {
      // ◀ ▶ of a fleet's list, pressed by someone who now sees only a few instances.
      if (callback.action === "page") return ctx.answerCallbackQuery({ text: s.fleet.stale });
      await ctx.answerCallbackQuery({ text: s.refreshed });
      shown = await screens.live(visible, chatId);
    }
    await ctx
      .editMessageText(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard })
      .catch((error: unknown) => {
        // Nothing changed since the last look (Telegram refuses the identical edit), or the list
        // is gone for good: nothing to do either way.
        const outcome = classifyTelegramError(error);
        if (outcome.kind !== "done" && outcome.kind !== "gone") throw error;
      });
  });

  return composer;
}
