import type { Transformer } from "grammy";

/** What the Bot API calls are counted by (observability's Metrics fits it; app/ passes it in). */
export interface TelegramCallCounters {
  telegramCall(method: string, rateLimited: boolean): void;
}

/**
 * Counts every Bot API request that goes out, and the 429s Telegram answers. Installed first on
 * every Api (the innermost transformer: grammY wraps later ones around it), so it sees each real
 * request once, after pacing and every retry of auto-retry included.
 */
export function countTelegramCalls(counters: TelegramCallCounters): Transformer {
  return async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    counters.telegramCall(method, !response.ok && response.error_code === 429);
    return response;
  };
}
