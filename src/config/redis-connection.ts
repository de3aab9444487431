// Where greenlight's Redis is and how every ioredis client reaches it: REDIS_URL (a single node,
// `rediss://` for TLS) or REDIS_SENTINELS (the primary that Sentinel names, followed through
// failovers). Every Redis connection of the app is made by createRedisConnection, so all of them
// go to the same place; each keeps its own options (fail-fast, BullMQ's, retry strategy).
import { Redis, type RedisOptions } from "ioredis";
import { z } from "zod";

/** The variables that say where Redis is (README "Configuration"). */
export interface RedisEnv {
  REDIS_URL: string;
  REDIS_SENTINELS?: SentinelAddress[] | undefined;
  REDIS_SENTINEL_NAME: string;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
}

export interface SentinelAddress {
  host: string;
  port: number;
}

const SENTINELS_HINT =
  "must be comma-separated host:port pairs, e.g. sentinel-1:26379,sentinel-2:26379";

/** `host:port` with a hostname, an IPv4 address or a bracketed IPv6 address; port 1-65535. */
const sentinelAddress = z.string().transform((text, ctx): SentinelAddress => {
  const match =
    /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
    ctx.issues.push({ code: "custom", input: text, message: SENTINELS_HINT });
    return z.NEVER;
  }
  return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
});

/** REDIS_SENTINELS: `host:port,host:port` (spaces allowed), at least one. */
export const sentinelList = z
  .string()
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(sentinelAddress).min(1, SENTINELS_HINT));

/** Sentinel's master name: what `sentinel monitor <name> …` says. */
export const sentinelName = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,64}$/,
    "use letters, digits, '.', '_' or '-' (the name in `sentinel monitor`)",
  )
  .default("mymaster");

/** A Redis password (REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD). */
export const redisPassword = z
  .string()
  .min(8, "use at least 8 characters")
  .max(512, "use at most 512 characters");

/**
 * Where to connect, without the per-connection options: the URL as given (ioredis reads host,
 * port, user, password, db and `rediss://` → TLS from it; nothing here rewrites it), or Sentinel.
 */
export type RedisTarget =
  { kind: "url"; url: string; options: RedisOptions } | { kind: "sentinel"; options: RedisOptions };

export function redisTarget(env: RedisEnv): RedisTarget {
  if (env.REDIS_SENTINELS && env.REDIS_SENTINELS.length > 0) {
    return {
      kind: "sentinel",
      options: {
        sentinels: env.REDIS_SENTINELS.map(({ host, port }) => ({ host, port })),
        name: env.REDIS_SENTINEL_NAME,
        ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
        ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
        // Not ioredis' failoverDetector: in ioredis 6.0 its +switch-master handler can hit a client
        // that is reconnecting and end it for good ("Connection is closed.", status "end"), seen in
        // test/faults/redis-failover.test.ts. A killed primary closes the sockets; Sentinel
        // disconnects the clients of a primary it demotes; a node demoted otherwise answers
        // writes with READONLY, which reconnects (reconnectOnReadonly below). Sentinels that do
        // not answer are retried by ioredis' sentinelRetryStrategy, at most 1 s apart.
      },
    };
  }
  // ioredis lets the URL's own password win over this one.
  return {
    kind: "url",
    url: env.REDIS_URL,
    options: env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {},
  };
}

/**
 * After a failover a connection can still reach the old primary, now a read-only replica: its
 * writes fail with READONLY. Reconnect then (through Sentinel, to the new primary). With an
 * offline queue the failed command is sent again there (2); a fail-fast connection has nowhere
 * to keep it, so the command fails as in an outage and the next one goes to the new primary.
 */
export function reconnectOnReadonly(
  offlineQueue: boolean,
): NonNullable<RedisOptions["reconnectOnError"]> {
  return (error) => (error.message.startsWith("READONLY") ? (offlineQueue ? 2 : true) : false);
}

/** The ioredis options of one connection: where (from the environment) plus its own options. */
export function redisConnectionOptions(env: RedisEnv, options: RedisOptions = {}): RedisTarget {
  const target = redisTarget(env);
  const offlineQueue = options.enableOfflineQueue !== false;
  const merged: RedisOptions = {
    reconnectOnError: reconnectOnReadonly(offlineQueue),
    ...target.options,
    ...options,
  };
  return target.kind === "url"
    ? { kind: "url", url: target.url, options: merged }
    : { kind: "sentinel", options: merged };
}

/** A new ioredis client to greenlight's Redis (REDIS_URL or REDIS_SENTINELS) with `options`. */
export function createRedisConnection(env: RedisEnv, options: RedisOptions = {}): Redis {
  const target = redisConnectionOptions(env, options);
  return target.kind === "url" ? new Redis(target.url, target.options) : new Redis(target.options);
}

/** Secrets of the Redis configuration, for the log Redactor: the passwords, the URL's too. */
export function redisSecrets(env: RedisEnv): string[] {
  const secrets = [env.REDIS_PASSWORD, env.REDIS_SENTINEL_PASSWORD];
  try {
    const url = new URL(env.REDIS_URL);
    secrets.push(decodeURIComponent(url.password), url.password);
  } catch {
    // REDIS_URL was validated as a URL; nothing to add if it is not one.
  }
  return secrets.filter((secret): secret is string => Boolean(secret));
}

/** Where Redis is, for a log line: no password, no user. */
export function describeRedisTarget(env: RedisEnv): Record<string, unknown> {
  if (env.REDIS_SENTINELS && env.REDIS_SENTINELS.length > 0) {
    return {
      redis: "sentinel",
      sentinels: env.REDIS_SENTINELS.map(({ host, port }) => `${host}:${port}`),
      name: env.REDIS_SENTINEL_NAME,
    };
  }
  try {
    const url = new URL(env.REDIS_URL);
    return { redis: `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}` };
  } catch {
    return { redis: "url" };
  }
}

/** What to check when Redis does not answer at start: names the variables, never a password. */
export function redisUnreachableHint(env: RedisEnv): string {
  const where = describeRedisTarget(env);
  if (where.redis === "sentinel") {
    const sentinels = (where.sentinels as string[]).join(",");
    return (
      `through REDIS_SENTINELS=${sentinels}: are the Sentinels up, and do they monitor a master ` +
      `named REDIS_SENTINEL_NAME=${env.REDIS_SENTINEL_NAME} (sentinel monitor <name> …)?`
    );
  }
  return `at REDIS_URL=${String(where.redis)}: is Redis running there (or set REDIS_SENTINELS)?`;
}
