import { type RunnerHandle, run } from "@grammyjs/runner";
import type { UserFromGetMe } from "grammy/types";
import { pairingJobs } from "../pairing/pairing-queue.js";
import { applySessionCapacity, qrJobs, sessionCapacity } from "../qr-session/qr-queue.js";
import { InFlight } from "../shared/in-flight.js";
import { createBot } from "../telegram/bot.js";
import { commandMenus } from "../telegram/features/help/index.js";
import { botFeatureDeps } from "./bot-features.js";
import type { HttpPart } from "./http.js";
import type { LinkPageParts } from "./link-page.js";
import type { Shared } from "./shared.js";

/** How long stop() lets update handlers in flight finish before closing their connections. */
const DRAIN_UPDATES_MS = 4_000;
const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

/**
 * The Telegram bot of a process with the bot role: long polling (or the webhook), the features,
 * and the queues it adds QR sessions and pairing watches to.
 */
export function botPart(shared: Shared, linkPage?: LinkPageParts) {
  const { config, logger } = shared;
  const { env } = config;
  const updatesInFlight = new InFlight();
  let runner: RunnerHandle | undefined;

  return {
    /** `botInfo`: Telegram's getMe, asked by the composition root before anything started. */
    async start(botInfo: UserFromGetMe, http: HttpPart | undefined): Promise<void> {
      const qr = shared.queues.of(qrJobs);
      const capacity = sessionCapacity(env.QR_EDITS_PER_SECOND, env.QR_MAX_SESSIONS);
      await applySessionCapacity(qr, capacity);
      const pairing = shared.queues.of(pairingJobs);

      const bot = createBot(
        {
          token: env.BOT_TOKEN,
          apiRoot: env.TELEGRAM_API_ROOT,
          access: shared.access,
          logger: logger.child({ part: "bot" }),
          transformers: shared.telegram.repliesTransformers(),
          refusals: shared.metrics,
          alertLanguage: shared.alertLanguage,
        },
        (api) => botFeatureDeps(shared, api, { qr, pairing, capacity }, linkPage),
      );
      // Telegram's first answer (connect.ts, asked before any part started): init() has nothing
      // left to ask.
      bot.botInfo = botInfo;
      await bot.init();
      await Promise.all(
        commandMenus().map(({ commands, languageCode }) =>
          bot.api.setMyCommands(commands, languageCode ? { language_code: languageCode } : {}),
        ),
      ).catch((error) => logger.warn({ err: error }, "could not set the command menu"));
      // Handlers are tracked so that stop() lets the ones in flight finish.
      const adapter = {
        init: () => bot.init(),
        handleUpdate: (update: Parameters<typeof bot.handleUpdate>[0]) =>
          updatesInFlight.track(bot.handleUpdate(update)),
        errorHandler: bot.errorHandler,
        api: bot.api,
      };
      if (env.BOT_MODE === "webhook" && http) await http.serveTelegram(bot);
      else runner = run(adapter, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
      logger.info({ username: bot.botInfo.username }, "bot started");
    },

    /** First step of a stop: take no more updates. */
    async stopTaking(): Promise<void> {
      await runner?.stop();
    },

    /** Lets the handlers in flight finish (bounded); the app closes the queues after. */
    async stop(): Promise<void> {
      if (!(await updatesInFlight.drain(DRAIN_UPDATES_MS)))
        logger.warn({ inFlight: updatesInFlight.size }, "stopped with updates in flight");
    },
  };
}
