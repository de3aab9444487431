import { Composer, InputFile } from "grammy";
import type { HistoryQuery } from "../../../history/history-query.js";
import { incidentsCsv } from "../../../history/csv.js";
import { historyCallbacks } from "../../callback-data.js";
import { onCommand } from "../../commands.js";
import type { BotContext } from "../../context.js";
import { missAnswer, missText } from "../../instance-replies.js";
import { classifyTelegramError } from "../../telegram-errors.js";
import { fleetPager, instancePager } from "./keyboard.js";
import { fleetPageText, instancePageText } from "./view.js";

export interface HistoryFeatureDeps {
  query: Pick<HistoryQuery, "instancePage" | "fleetPage" | "all">;
}

type Shown = { text: string; keyboard: ReturnType<typeof fleetPager>; page: number; pages: number };

/**
 * `/history` (the reader's instances, worst 7-day uptime first, 20 a page), `/history <instance>`
 * (its figures and incidents, newest first, paged by editing the message) and
 * `/history <instance> csv` (admins of it: a CSV file, to the asker's private chat only).
 */
export function historyFeature(deps: HistoryFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const instanceScreen = async (
    ctx: BotContext,
    instance: string,
    page: number,
  ): Promise<Shown> => {
    const view = await deps.query.instancePage(instance, page);
    return {
      text: instancePageText(view, ctx.t),
      keyboard: instancePager(instance, view.page, view.pages, ctx.t),
      page: view.page,
      pages: view.pages,
    };
  };
  const fleetScreen = async (ctx: BotContext, page: number): Promise<Shown> => {
    const view = await deps.query.fleetPage(ctx.access.names(), page);
    return {
      text: fleetPageText(view, ctx.t),
      keyboard: fleetPager(view.page, view.pages, ctx.t),
      page: view.page,
      pages: view.pages,
    };
  };

  onCommand(composer, "history", async (ctx) => {
    const [name, extra, ...rest] = ctx.match.split(/\s+/).filter(Boolean);
    if (rest.length > 0 || (extra !== undefined && extra.toLowerCase() !== "csv")) {
      return ctx.reply(ctx.t.history.usage, { parse_mode: "HTML" });
    }
    if (name === undefined) {
      if (ctx.access.names().length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
      const shown = await fleetScreen(ctx, 0);
      return ctx.reply(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard });
    }
    if (extra !== undefined) return sendCsv(ctx, deps, name);
    const found = ctx.access.lookup(name);
    if (!found.found) return ctx.reply(missText(ctx, found, name), { parse_mode: "HTML" });
    const shown = await instanceScreen(ctx, found.instance.name, 0);
    return ctx.reply(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard });
  });

  composer.callbackQuery(historyCallbacks.pattern, async (ctx) => {
    const callback = historyCallbacks.decode(ctx.callbackQuery.data);
    if (!callback || !ctx.callbackQuery.message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    let shown: Shown;
    if (callback.action === "inst") {
      // The presser's right on that instance now: the button only says which one.
      const found = ctx.access.lookup(callback.instance);
      if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
      shown = await instanceScreen(ctx, found.instance.name, callback.page);
    } else {
      if (ctx.access.names().length === 0)
        return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
      shown = await fleetScreen(ctx, callback.page);
    }
    await ctx.answerCallbackQuery({ text: ctx.t.history.page(shown.page + 1, shown.pages) });
    await ctx
      .editMessageText(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard })
      .catch((error: unknown) => {
        // The same page again (Telegram refuses an identical edit), or the message is gone.
        const outcome = classifyTelegramError(error);
        if (outcome.kind !== "done" && outcome.kind !== "gone") throw error;
      });
  });

  return composer;
}

/** The CSV goes to the asker's private chat only: incidents name the team's people. */
async function sendCsv(ctx: BotContext, deps: HistoryFeatureDeps, name: string) {
  const found = ctx.access.lookup(name, "administer");
  if (!found.found) {
    const text =
      found.reason === "forbidden"
        ? ctx.t.access.forbidden(found.instance.name, found.role, "administer")
        : missText(ctx, found, name);
    return ctx.reply(text, { parse_mode: "HTML" });
  }
  const instance = found.instance.name;
  const incidents = await deps.query.all(instance);
  const file = new InputFile(
    Buffer.from(incidentsCsv(instance, incidents), "utf8"),
    `history-${instance}-${new Date().toISOString().slice(0, 10)}.csv`,
  );
  const userId = ctx.access.userId;
  try {
    await ctx.api.sendDocument(userId, file, {
      caption: ctx.t.history.csvCaption(instance, incidents.length),
      parse_mode: "HTML",
    });
  } catch (error) {
    // Never started, or blocked: the file is not sent anywhere else.
    const outcome = classifyTelegramError(error);
    if (outcome.kind !== "gone" || outcome.scope !== "chat") throw error;
    return ctx.reply(ctx.t.history.csvNoPrivateChat);
  }
  if (ctx.chat?.id !== userId) {
    await ctx.reply(ctx.t.history.csvSent(instance), { parse_mode: "HTML" });
  }
}
