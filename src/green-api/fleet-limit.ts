import type { Redis } from "ioredis";
import { reserveSlot } from "../shared/gcra.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";

/**
 * GREEN_API_REQUESTS_PER_SECOND: one GCRA in Redis for the watcher's state checks of the whole
 * fleet, every process together, so that thousands of instances never flood GREEN-API from one
 * IP. A short burst (a fifth of a second's worth) lets a shard's checks start together. Like the
 * per-instance limiter, Redis is its memory and not a gate: while Redis fails, checks go unpaced.
 */
export class FleetLimit {
  private lastRedisWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; perSecond: number; logger: Logger },
  ) {}

  /** Waits for a turn; false when none comes within `maxWaitMs` (nothing booked then). */
  async take(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const { perSecond } = this.options;
    if (perSecond <= 0) return true;
    const limit = { intervalMs: 1000 / perSecond, burst: Math.max(1, Math.floor(perSecond / 5)) };
    let waitMs: number;
    try {
      waitMs = await reserveSlot(
        this.redis,
        `${this.options.prefix}:green-api:rate:fleet`,
        limit,
        maxWaitMs,
      );
    } catch (error) {
      if (Date.now() - this.lastRedisWarning > 60_000) {
        this.lastRedisWarning = Date.now();
        this.options.logger.warn({ err: error }, "fleet rate limit: Redis failed; not pacing");
      }
      return true;
    }
    if (waitMs < 0) return false;
    if (waitMs > 0) await sleep(waitMs, signal);
    return !signal?.aborted;
  }
}
