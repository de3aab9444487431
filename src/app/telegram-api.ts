import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Transformer } from "grammy";
import type { Env } from "../config/index.js";
import { dropEmptyKeyboardRows } from "../telegram/keyboards.js";
import { countTelegramCalls, type TelegramCallCounters } from "../telegram/call-counter.js";

/**
 * Auto-retry for the bot's own replies, capped. A busy group (Telegram allows ~20 messages a
 * minute there, shared with the live QRs in it) answers with 429s for up to a minute, several
 * times over: the /qr photo then arrives late rather than not at all (an apology would hit the
 * same limit and not arrive either). At worst a reply gives up after 5 waits.
 */
export const BOT_RETRY = { maxRetryAttempts: 5, maxDelaySeconds: 60 } as const;
/** Alerts are worth a short retry on 5xx / 429; never an unbounded one. */
const ALERT_RETRY = { maxRetryAttempts: 2, maxDelaySeconds: 5 } as const;

/**
 * Every grammY Api greenlight sends with, built in one place. All are paced (telegram/pacing):
 * Telegram counts per chat and per bot, not per Api. They differ only in retries:
 * - `replies`: the bot's answers, capped auto-retry (BOT_RETRY);
 * - `live`: QR and pairing-code screens, no auto-retry: their loops decide what to do on a 429
 *   (send the newest QR later, not a stale one again);
 * - `alerts`: a short capped retry.
 */
export function telegramApiFactory(env: Env, pacing: Transformer, counters: TelegramCallCounters) {
  // First, so innermost: it counts each request that really goes out (every retry too).
  const counting = countTelegramCalls(counters);
  const build = (retry?: Parameters<typeof autoRetry>[0]) => {
    const api = new Api(env.BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
    api.config.use(counting, dropEmptyKeyboardRows, pacing, ...(retry ? [autoRetry(retry)] : []));
    return api;
  };
  return {
    live: () => build(),
    alerts: () => build(ALERT_RETRY),
    /** For a Bot's own `api`: the transformers to install on it. */
    repliesTransformers: (): Transformer[] => [
      counting,
      dropEmptyKeyboardRows,
      pacing,
      autoRetry(BOT_RETRY),
    ],
  };
}

export type TelegramApiFactory = ReturnType<typeof telegramApiFactory>;
