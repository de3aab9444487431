import type { Redis } from "ioredis";
import { sleep } from "../shared/time.js";

// A token bucket in Redis, shared by every worker of the bot: Telegram's ~30 messages/s is per
// bot, not per process. Redis's own clock (TIME) keeps workers on different hosts consistent.
// Returns 0 when a token was taken, else the ms until one will be there (nothing is taken then).
const TAKE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or nowMs
tokens = math.min(burst, tokens + math.max(0, nowMs - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', nowMs)
redis.call('PEXPIRE', KEYS[1], 60000)
return wait
`;

export interface EditBudgetOptions {
  prefix: string;
  /** Edits per second for the whole bot. */
  perSecond: number;
  /** Edits allowed at once after a quiet spell; rate + burst must stay under Telegram's ~30/s. */
  burst: number;
}

/**
 * The bot's budget of QR edits: every session takes a token before an edit and waits its turn
 * when there is none, so bursts of rotations queue up for a moment instead of drawing 429s
 * (each 429 costs a call and holds that session's edits for a whole retry_after).
 */
export class EditBudget {
  constructor(
    private readonly redis: Redis,
    private readonly options: EditBudgetOptions,
  ) {}

  /**
   * Resolves when this caller may edit, or false after `maxWaitMs` without a token (the caller
   * then tries again on its next tick with whatever QR is newest by then).
   */
  async take(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const key = `${this.options.prefix}:qr-edit-budget`;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const waitMs = Number(
        await this.redis.eval(TAKE, 1, key, this.options.perSecond, this.options.burst),
      );
      if (waitMs <= 0) return true;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return false;
      // A little jitter so that sessions waiting together do not all retry on the same tick.
      await sleep(Math.min(left, waitMs + Math.random() * 20), signal);
    }
  }
}
