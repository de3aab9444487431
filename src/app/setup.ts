import { autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Config } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import { connectTelegramFrom } from "../telegram/connect.js";
import { createSetupBot } from "../telegram/setup-bot.js";
import { BOT_RETRY } from "./telegram-api.js";

/**
 * Set-up mode (no OPERATOR_IDS and no ADMIN_IDS): only a bot that tells people their id. No
 * Redis, no workers, no alerts, no HTTP server: nothing that could act on an instance.
 */
export function setupGreenlight(config: Config, logger: Logger) {
  const { env } = config;
  const stopping = new AbortController();
  let runner: RunnerHandle | undefined;
  return {
    async start() {
      logger.warn(
        "set-up mode: OPERATOR_IDS is empty, so the bot only answers with each person's Telegram id and the OPERATOR_IDS line for .env",
      );
      const bot = createSetupBot({
        token: env.BOT_TOKEN,
        apiRoot: env.TELEGRAM_API_ROOT,
        logger: logger.child({ part: "setup" }),
        transformers: [autoRetry(BOT_RETRY)],
      });
      bot.botInfo = await connectTelegramFrom(env, logger, stopping.signal);
      runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] } } });
      logger.info(
        { username: bot.botInfo.username },
        "set-up bot started: write to it in Telegram",
      );
    },
    async stop() {
      stopping.abort();
      await runner?.stop();
    },
    httpPort: (): number | undefined => undefined,
  };
}
