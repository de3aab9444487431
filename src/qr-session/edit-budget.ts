import type { Redis } from "ioredis";
import { sleep } from "../shared/time.js";

// GCRA with reservations, shared by every worker of the bot (Telegram's ~30 messages/s is per
// bot, not per process). The key holds the theoretical arrival time (TAT) of the next edit; a
// caller reserves the first free slot and waits for it, so waiting callers are served in the
// order they asked (FIFO), each after one Redis call. Redis's own clock (TIME) keeps workers on
// different hosts consistent.
// Returns the ms to wait for the reserved slot (0: now), or -1 when the first free slot is further
// away than ARGV[3] ms: then nothing is reserved and the caller tries again later.
const RESERVE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
local interval = 1000 / tonumber(ARGV[1])
local tolerance = (tonumber(ARGV[2]) - 1) * interval
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), nowMs)
local slot = math.max(nowMs, tat - tolerance)
local wait = slot - nowMs
if wait > tonumber(ARGV[3]) then return -1 end
redis.call('SET', KEYS[1], string.format('%.3f', tat + interval), 'PX', 60000)
return math.ceil(wait)
`;

export interface EditBudgetOptions {
  prefix: string;
  /** Edits per second for the whole bot. */
  perSecond: number;
  /** Edits allowed back to back after a quiet spell; rate + burst must stay under Telegram's ~30/s. */
  burst: number;
}

/**
 * The bot's budget of QR edits: every session reserves a slot before an edit and waits for it,
 * so bursts of rotations queue up for a moment, first come first served, instead of drawing 429s
 * (each 429 costs a call and holds that session's edits for a whole retry_after).
 */
export class EditBudget {
  constructor(
    private readonly redis: Redis,
    private readonly options: EditBudgetOptions,
  ) {}

  /**
   * Resolves true when this caller may edit, or false when no slot is free within `maxWaitMs`
   * (the caller then tries again on its next tick, with whatever QR is newest by then) or when
   * `signal` aborts the wait.
   */
  async take(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const key = `${this.options.prefix}:qr-edit-budget`;
    const { perSecond, burst } = this.options;
    const waitMs = Number(await this.redis.eval(RESERVE, 1, key, perSecond, burst, maxWaitMs));
    if (waitMs < 0) return false;
    if (waitMs > 0) await sleep(waitMs, signal);
    return !signal?.aborted;
  }
}
