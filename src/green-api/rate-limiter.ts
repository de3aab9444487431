import type { Redis } from "ioredis";
import type { Instance } from "../config/index.js";
import { type RateLimit, reserveSlot } from "../shared/gcra.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";

/**
 * GREEN-API's documented limits per instance and method, for every method greenlight calls (its
 * rate-limit table, green-api.com/en/docs/api/ratelimiter; test/fakes/REAL-API.md): above them it
 * answers 429. Booked 20 % wider than the limit so that a call that left its slot a little late
 * still lands in the next second. getAuthorizationCode and getStateInstanceHistory are not in the
 * table; they are paced like the account methods around them (1/s), which costs nothing.
 */
export const GREEN_API_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  getStateInstance: { intervalMs: 1_200, burst: 1 }, // 1/s
  qr: { intervalMs: 400, burst: 1 }, // 3/s
  logout: { intervalMs: 1_200, burst: 1 }, // 1/s
  reboot: { intervalMs: 1_200, burst: 1 }, // 1/s
  getWaSettings: { intervalMs: 1_200, burst: 1 }, // 1/s
  getSettings: { intervalMs: 1_200, burst: 1 }, // 1/s
  setSettings: { intervalMs: 1_200, burst: 1 }, // 1/s
  showMessagesQueue: { intervalMs: 1_200, burst: 1 }, // 1/s
  getAuthorizationCode: { intervalMs: 1_200, burst: 1 }, // not in the table: 1/s
  getStateInstanceHistory: { intervalMs: 1_200, burst: 1 }, // not in the table: 1/s
};

/**
 * The turn a background call (a courtesy nobody waits for: the daily phone refresh) may wait for:
 * none. It takes a slot only when the slot is free now, so it never queues ahead of an operator's
 * call; an interactive call waits at most one interval behind it.
 */
export const BACKGROUND_MAX_WAIT_MS = 0;

/** Decides when a GREEN-API call may go out; the client asks before every call. */
export interface CallGate {
  /**
   * Waits for the call's turn. false: the turn is further away than `maxWaitMs` (nothing was
   * booked; the caller gives up). Rejects when `signal` aborts.
   */
  take(
    instance: Instance,
    method: string,
    options: { maxWaitMs: number; signal?: AbortSignal },
  ): Promise<boolean>;
}

/**
 * One GCRA per instance and method in Redis, shared by every caller in every process (the QR
 * sessions, the pairing watcher, the alert watcher, /status): callers book the next free slot, in
 * the order they asked, and wait for it instead of taking a 429. Redis is the limiter's memory, not
 * a gate: while it does not answer, calls go out unpaced (GREEN-API's 429 is the worst case then).
 */
export class GreenApiRateLimiter implements CallGate {
  private lastRedisWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: {
      prefix: string;
      logger: Logger;
      limits?: Readonly<Record<string, RateLimit>>;
    },
  ) {}

  async take(
    instance: Instance,
    method: string,
    options: { maxWaitMs: number; signal?: AbortSignal },
  ): Promise<boolean> {
    const limit = (this.options.limits ?? GREEN_API_RATE_LIMITS)[method];
    if (!limit) return true;
    const key = `${this.options.prefix}:green-api:rate:${instance.idInstance}:${method}`;
    let waitMs: number;
    try {
      waitMs = await reserveSlot(this.redis, key, limit, options.maxWaitMs);
    } catch (error) {
      if (Date.now() - this.lastRedisWarning > 60_000) {
        this.lastRedisWarning = Date.now();
        this.options.logger.warn(
          { err: error },
          "GREEN-API rate limiter: Redis failed; not pacing",
        );
      }
      return true;
    }
    if (waitMs < 0) return false;
    if (waitMs > 0) await sleep(waitMs, options.signal);
    if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
    return true;
  }
}
