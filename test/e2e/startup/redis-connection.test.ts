import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/config/errors.js";
import {
  createRedisConnection,
  describeRedisTarget,
  type RedisEnv,
  reconnectOnReadonly,
  redisConnectionOptions,
  redisSecrets,
  redisUnreachableHint,
} from "../../../src/config/redis-connection.js";
import { spawnGreenlight } from "../../kit/process.js";

const validEnv = {
  BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef",
  OPERATOR_IDS: "1001",
};

const fail = (env: Record<string, string>) => {
  try {
    parseEnv({ ...validEnv, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("parsed");
};

describe("REDIS_SENTINELS and friends in the environment", () => {
  it("reads host:port lists (names, IPv4, bracketed IPv6, spaces) and defaults the master name", () => {
    const env = parseEnv({
      ...validEnv,
      REDIS_SENTINELS: "sentinel-1:26379, 10.0.0.2:26380,[::1]:26381",
    });
    expect(env.REDIS_SENTINELS).toEqual([
      { host: "sentinel-1", port: 26379 },
      { host: "10.0.0.2", port: 26380 },
      { host: "::1", port: 26381 },
    ]);
    expect(env.REDIS_SENTINEL_NAME).toBe("mymaster");
    expect(parseEnv(validEnv).REDIS_SENTINELS).toBeUndefined();
  });

  it.each([
    [{ REDIS_SENTINELS: "sentinel-1" }, /^REDIS_SENTINELS: must be comma-separated host:port/],
    [{ REDIS_SENTINELS: "sentinel-1:0" }, /^REDIS_SENTINELS: /],
    [{ REDIS_SENTINELS: "sentinel-1:65536" }, /^REDIS_SENTINELS: /],
    [{ REDIS_SENTINELS: "a:1,redis://b:2" }, /^REDIS_SENTINELS: /],
    [{ REDIS_SENTINELS: "," }, /^REDIS_SENTINELS: /],
    [{ REDIS_SENTINEL_NAME: "my master" }, /^REDIS_SENTINEL_NAME: /],
    [{ REDIS_PASSWORD: "short" }, /^REDIS_PASSWORD: use at least 8 characters$/],
    [{ REDIS_SENTINEL_PASSWORD: "short" }, /^REDIS_SENTINEL_PASSWORD: /],
  ])("refuses %o with one line naming the variable", (env, message) => {
    const text = fail(env);
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
  });

  it("stops a real start with that one line, exit code 2", async () => {
    const greenlight = spawnGreenlight({ ...validEnv, REDIS_SENTINELS: "sentinel-1" });
    expect(await greenlight.exited).toBe(2);
    expect(greenlight.output().trim()).toBe(
      "greenlight: configuration error: REDIS_SENTINELS: must be comma-separated host:port pairs, e.g. sentinel-1:26379,sentinel-2:26379",
    );
  });

  it("never puts a password's value in the error", () => {
    expect(fail({ REDIS_PASSWORD: "s3cr3t!" })).not.toContain("s3cr3t!");
    expect(fail({ REDIS_SENTINELS: "hunter2hunter2" })).not.toContain("hunter2hunter2");
  });
});

const base: RedisEnv = { REDIS_URL: "redis://127.0.0.1:6379", REDIS_SENTINEL_NAME: "mymaster" };
const FAIL_FAST = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 3_000 };
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 1000);

describe("where each connection goes", () => {
  it("passes REDIS_URL to ioredis as given, rediss:// included, with the connection's own options", () => {
    const url = "rediss://user:p%40ss-word-1@redis.example.com:6380/2";
    const target = redisConnectionOptions(
      { ...base, REDIS_URL: url },
      { ...FAIL_FAST, retryStrategy },
    );
    expect(target.kind).toBe("url");
    expect(target.kind === "url" && target.url).toBe(url);
    expect(target.options).toMatchObject({ ...FAIL_FAST, retryStrategy });
    expect(target.options).not.toHaveProperty("sentinels");
  });

  it("gives every connection Sentinel's addresses, name and passwords when REDIS_SENTINELS is set", () => {
    const env: RedisEnv = {
      ...base,
      REDIS_SENTINELS: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26380 },
      ],
      REDIS_SENTINEL_NAME: "greenlight",
      REDIS_SENTINEL_PASSWORD: "sentinel-pass-1",
      REDIS_PASSWORD: "redis-pass-1",
    };
    const bull = redisConnectionOptions(env, { maxRetriesPerRequest: null, retryStrategy });
    expect(bull.kind).toBe("sentinel");
    expect(bull.options).toMatchObject({
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26380 },
      ],
      name: "greenlight",
      sentinelPassword: "sentinel-pass-1",
      password: "redis-pass-1",
      maxRetriesPerRequest: null,
      retryStrategy,
    });
    const failFast = redisConnectionOptions(env, FAIL_FAST);
    expect(failFast.options).toMatchObject({ ...FAIL_FAST, name: "greenlight" });
  });

  it("builds real ioredis clients: TLS from rediss://, Sentinel options, options unchanged", () => {
    const tls = createRedisConnection(
      { ...base, REDIS_URL: "rediss://:secret-pass@redis.example.com:6380/3" },
      { lazyConnect: true, ...FAIL_FAST, retryStrategy },
    );
    expect(tls.options).toMatchObject({
      host: "redis.example.com",
      port: 6380,
      db: 3,
      password: "secret-pass",
      tls: expect.anything(),
      ...FAIL_FAST,
      retryStrategy,
    });
    // Without TLS: no tls option sneaks in; REDIS_PASSWORD serves a URL without a password.
    const plain = createRedisConnection(
      { ...base, REDIS_PASSWORD: "from-env-1" },
      { lazyConnect: true },
    );
    expect(plain.options.tls).toBeUndefined();
    expect(plain.options.password).toBe("from-env-1");
    const sentinel = createRedisConnection(
      { ...base, REDIS_SENTINELS: [{ host: "s1", port: 26379 }], REDIS_PASSWORD: "redis-pass-1" },
      { lazyConnect: true, maxRetriesPerRequest: null },
    );
    expect(sentinel.options).toMatchObject({
      sentinels: [{ host: "s1", port: 26379 }],
      name: "mymaster",
      password: "redis-pass-1",
      maxRetriesPerRequest: null,
    });
    for (const client of [tls, plain, sentinel]) client.disconnect();
  });

  it("reconnects on READONLY (a demoted primary), resending only where an offline queue keeps it", () => {
    const readonly = new Error("READONLY You can't write against a read only replica.");
    expect(reconnectOnReadonly(true)(readonly)).toBe(2);
    expect(reconnectOnReadonly(false)(readonly)).toBe(true);
    expect(reconnectOnReadonly(true)(new Error("ERR wrong number of arguments"))).toBe(false);
    const failFast = redisConnectionOptions(base, FAIL_FAST).options.reconnectOnError;
    expect(failFast?.(readonly)).toBe(true);
    const bull = redisConnectionOptions(base, { maxRetriesPerRequest: null }).options
      .reconnectOnError;
    expect(bull?.(readonly)).toBe(2);
  });

  it("lists the passwords for the log Redactor, the URL's too, and logs none of them", () => {
    const env: RedisEnv = {
      ...base,
      REDIS_URL: "rediss://user:p%40ss-word-1@redis.example.com:6380",
      REDIS_SENTINEL_PASSWORD: "sentinel-pass-1",
      REDIS_PASSWORD: "redis-pass-1",
    };
    expect(redisSecrets(env)).toEqual(
      expect.arrayContaining(["redis-pass-1", "sentinel-pass-1", "p@ss-word-1", "p%40ss-word-1"]),
    );
    expect(redisSecrets(base)).toEqual([]);
    expect(JSON.stringify(describeRedisTarget(env))).toBe(
      JSON.stringify({ redis: "rediss://redis.example.com:6380" }),
    );
    const viaSentinel = describeRedisTarget({
      ...env,
      REDIS_SENTINELS: [{ host: "s1", port: 26379 }],
    });
    expect(viaSentinel).toEqual({ redis: "sentinel", sentinels: ["s1:26379"], name: "mymaster" });
  });
});

describe("Redis not answering at start", () => {
  it("names the variables to check, without passwords", () => {
    const url = redisUnreachableHint({ ...base, REDIS_URL: "redis://:pass-word-1@cache:6380/1" });
    expect(url).toBe(
      "at REDIS_URL=redis://cache:6380/1: is Redis running there (or set REDIS_SENTINELS)?",
    );
    const sentinel = redisUnreachableHint({
      ...base,
      REDIS_SENTINELS: [{ host: "s1", port: 26379 }],
      REDIS_SENTINEL_NAME: "cache",
      REDIS_SENTINEL_PASSWORD: "sentinel-pass-1",
    });
    expect(sentinel).toBe(
      "through REDIS_SENTINELS=s1:26379: are the Sentinels up, and do they monitor a master named REDIS_SENTINEL_NAME=cache (sentinel monitor <name> …)?",
    );
  });
});

describe("every ioredis client of the app comes from createRedisConnection", () => {
  it("has no other `new Redis(` in src/", () => {
    const src = fileURLToPath(new URL("../../../src", import.meta.url));
    const offenders = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && file !== join("config", "redis-connection.ts"))
      .filter((file) => /new\s+(Redis|IORedis)\s*\(/.test(readFileSync(join(src, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});
