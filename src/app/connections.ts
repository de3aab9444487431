import type { Redis, RedisOptions } from "ioredis";
import { type Env, StartupError } from "../config/index.js";
import {
  createRedisConnection,
  describeRedisTarget,
  redisUnreachableHint,
} from "../config/redis-connection.js";
import type { Logger } from "../shared/logger.js";

/** Redis reconnects quickly (the default backoff grows to ~5 s) so the bot recovers fast. */
function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return { retryStrategy: (attempt) => Math.min(attempt * 200, 1000), ...extra };
}

/**
 * The store's connection (the bot's commands and the sessions' polls) fails fast while Redis is
 * down: a command gets "temporarily unavailable" at once instead of hanging, and a session's job
 * is retried by BullMQ once Redis is back. `commandTimeout` also covers a Redis that hangs.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 3_000,
};

/**
 * The one owner of this process's Redis connections: each part asks it for the kind it needs,
 * and `closeAll` ends every one of them. Errors are logged once, through the main connection.
 */
export class Connections {
  readonly main: Redis;
  private readonly all: Redis[] = [];
  /** Why the main connection last failed (an error code such as ECONNREFUSED, or the message). */
  private lastError = "";

  constructor(
    private readonly env: Env,
    logger: Logger,
  ) {
    // REDIS_URL or, when set, REDIS_SENTINELS: every connection goes to the same primary.
    logger.info(describeRedisTarget(env), "Redis");
    this.main = this.open(FAIL_FAST);
    // One line per new reason, no stack: a Redis that is down fails the same way every retry.
    this.main.on("error", (error: Error & { code?: unknown }) => {
      const reason = typeof error.code === "string" ? error.code : error.message;
      if (reason !== this.lastError) logger.warn({ reason }, "Redis connection error");
      this.lastError = reason;
    });
    this.main.on("ready", () => {
      this.lastError = "";
    });
  }

  /** A connection that fails fast, like the main one (queues the bot adds to, the HTTP part). */
  failFast(): Redis {
    return this.quiet(this.open(FAIL_FAST));
  }

  /** BullMQ requires maxRetriesPerRequest: null on its connections, and does not close them. */
  forBullMq(): Redis {
    return this.quiet(this.open({ maxRetriesPerRequest: null }));
  }

  /** Waits for Redis to accept connections (it may be starting alongside us). */
  async untilReady(timeoutMs: number): Promise<void> {
    const redis = this.main;
    if (redis.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off("ready", onReady);
        const why = this.lastError ? ` (${this.lastError})` : "";
        reject(
          new StartupError(
            `cannot reach Redis within ${timeoutMs / 1000} s${why} ${redisUnreachableHint(this.env)}`,
          ),
        );
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once("ready", onReady);
    });
  }

  closeAll(): void {
    for (const connection of this.all) connection.disconnect();
  }

  private open(options: RedisOptions): Redis {
    const connection = createRedisConnection(this.env, redisOptions(options));
    this.all.push(connection);
    return connection;
  }

  private quiet(connection: Redis): Redis {
    connection.on("error", () => undefined); // reported once, through `main`
    return connection;
  }
}
