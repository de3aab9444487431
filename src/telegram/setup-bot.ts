import { Bot, type Transformer } from "grammy";
import type { Logger } from "../shared/logger.js";
import { type BotContext, withLanguage } from "./context.js";

/** Commands that ask for the id itself; every other command gets "not set up yet" first. */
const ID_COMMANDS = new Set(["start", "help", "id"]);

/**
 * The bot of set-up mode (no OPERATOR_IDS yet): whoever writes gets their Telegram id and the
 * exact line for .env; every other command says the bot is not set up yet. Nothing else runs, so
 * nobody can do anything with an instance. The id is not a secret: Telegram shows it to any bot.
 */
export function createSetupBot(options: {
  token: string;
  apiRoot: string;
  logger: Logger;
  transformers: readonly Transformer[];
}): Bot<BotContext> {
  const { logger } = options;
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot: options.apiRoot } });
  bot.api.config.use(...options.transformers);
  bot.use(withLanguage);
  bot.on("message", async (ctx) => {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    const command = /^\/([A-Za-z0-9_]+)/.exec(ctx.message.text ?? "")?.[1]?.toLowerCase();
    const yourId = ctx.t.setup.yourId(from.id);
    const text =
      command && !ID_COMMANDS.has(command) ? `${ctx.t.setup.notSetUp}\n\n${yourId}` : yourId;
    await ctx.reply(text, { parse_mode: "HTML" });
  });
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t.setup.notSetUp }));
  bot.catch((error) =>
    logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "set-up bot error"),
  );
  return bot;
}
