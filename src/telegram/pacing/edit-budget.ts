import type { Redis } from "ioredis";
import { reserveSlot } from "../../shared/gcra.js";
import { sleep } from "../../shared/time.js";

export interface EditBudgetOptions {
  prefix: string;
  /** Edits per second for the whole bot. */
  perSecond: number;
  /** Edits allowed back to back after a quiet spell; rate + burst must stay under Telegram's ~30/s. */
  burst: number;
}

/**
 * The bot's budget of QR edits (Telegram's ~30 messages/s is per bot, not per process): every
 * session reserves a slot before an edit and waits for it, so bursts of rotations queue up for a
 * moment, first come first served, instead of drawing 429s (each 429 costs a call and holds that
 * session's edits for a whole retry_after).
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
    const limit = { intervalMs: 1000 / this.options.perSecond, burst: this.options.burst };
    const waitMs = await reserveSlot(this.redis, key, limit, maxWaitMs);
    if (waitMs < 0) return false;
    if (waitMs > 0) await sleep(waitMs, signal);
    return !signal?.aborted;
  }
}
