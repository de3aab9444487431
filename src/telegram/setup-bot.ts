import { Bot, type Transformer } from "grammy";
import { ReplyCooldown } from "../access/reply-cooldown.js";
import type { Logger } from "../shared/logger.js";
import { type BotContext, withLanguage } from "./context.js";

/** Commands that ask for the id itself; every other command gets "not set up yet" first. */
const ID_COMMANDS = new Set(["start", "help", "id"]);

/** One answer per person this often: set-up mode answers anyone, so anyone could flood it. */
const SETUP_REPLY_INTERVAL_MS = 10_000;

/**
 * The bot of set-up mode (no OPERATOR_IDS yet): whoever writes gets their Telegram id and the
 * exact line for .env; every other command says the bot is not set up yet. Nothing else runs, so
 * nobody can do anything with an instance. The id is not a secret: Telegram shows it to any bot.
 * Each person is answered at most once per SETUP_REPLY_INTERVAL_MS; the rest is a debug line.
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
  const replies = new ReplyCooldown(SETUP_REPLY_INTERVAL_MS);
  const inCooldown = (userId: number | undefined) => {
    if (userId !== undefined && replies.take(userId)) return false;
    logger.debug({ userId }, "not answered: one reply per person per cooldown");
    return true;
  };
  bot.use(withLanguage);
  bot.on("message", async (ctx) => {
    const from = ctx.from;
    if (!from || from.is_bot || inCooldown(from.id)) return;
    const command = /^\/([A-Za-z0-9_]+)/.exec(ctx.message.text ?? "")?.[1]?.toLowerCase();
    const yourId = ctx.t.setup.yourId(from.id);
    const text =
      command && !ID_COMMANDS.has(command) ? `${ctx.t.setup.notSetUp}\n\n${yourId}` : yourId;
    await ctx.reply(text, { parse_mode: "HTML" });
  });
  bot.on("callback_query", async (ctx) => {
    if (!inCooldown(ctx.from.id)) await ctx.answerCallbackQuery({ text: ctx.t.setup.notSetUp });
  });
  bot.catch((error) =>
    logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "set-up bot error"),
  );
  return bot;
}
