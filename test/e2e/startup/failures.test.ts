// Start-up failures as an operator meets them: the real process (dist/main.js, built as npm start
// builds it: test/kit/app-build.ts), one line naming the variable and the fix, a non-zero exit,
// no stack, no secret.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../../fakes/fake-telegram.js";
import { spawnGreenlight } from "../../kit/process.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";
import { freePort } from "../../kit/redis-server.js";

const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc";
let dir: string;
let instancesFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "greenlight-test-"));
  instancesFile = join(dir, "instances.json");
  const instance = { name: "shop", idInstance: 1101000001, apiTokenInstance: "a".repeat(50) };
  writeFileSync(instancesFile, JSON.stringify([instance]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The state watcher is on (its default): its workers and schedulers are what flooded the log and
// wrote to Redis before the start had made sure of Redis and Telegram.
async function run(env: Record<string, string>) {
  const child = spawnGreenlight({
    BOT_TOKEN: TOKEN,
    OPERATOR_IDS: "1001",
    INSTANCES_FILE: instancesFile,
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: `t-startup-${process.pid}`,
    ALLOW_INSECURE_HTTP: "1",
    ...env,
  });
  const code = await child.exited;
  const lines = child.output().trim().split("\n");
  // pino's JSON lines are the log; the plain line is what main prints on the way out.
  const plain = lines.filter((line) => !line.startsWith("{"));
  const log = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
  return { code, lines, plain, log, all: child.output() };
}

describe("start-up failures: one line each, then a non-zero exit", () => {
  it("Telegram unreachable: a line per attempt, then gives up after STARTUP_TIMEOUT_MS", async () => {
    const root = `http://127.0.0.1:${await freePort()}`;
    const prefix = uniquePrefix("startup-no-telegram");
    const { code, lines, plain, log, all } = await run({
      TELEGRAM_API_ROOT: root,
      STARTUP_TIMEOUT_MS: "2500",
      REDIS_PREFIX: prefix,
    });
    expect(code).toBe(1);
    // Redis answered, Telegram did not: nothing started, so nothing was written.
    expect(await deleteKeysWithPrefix(prefix)).toBe(0);
    expect(lines.length).toBeLessThanOrEqual(4);
    const retries = log.filter((entry) => String(entry.msg).startsWith("cannot reach Telegram"));
    expect(retries.map((entry) => entry.msg)).toEqual([
      `cannot reach Telegram at ${root}: ECONNREFUSED; retrying in 5 s`,
    ]);
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(
      new RegExp(`^greenlight: TELEGRAM_API_ROOT: cannot reach Telegram at ${root} within 2.5 s`),
    );
    expect(plain[0]).toContain("ECONNREFUSED");
    expect(all).not.toContain(TOKEN.split(":")[1]);
    expect(all).not.toMatch(/\n\s+at /); // no stack
  });

  it("token rejected (401): says so at once and names BOT_TOKEN and @BotFather", async () => {
    const telegram = await FakeTelegram.start();
    const prefix = uniquePrefix("startup-401");
    try {
      const { code, plain, all } = await run({
        TELEGRAM_API_ROOT: telegram.apiRoot,
        REDIS_PREFIX: prefix,
      });
      expect(code).toBe(1);
      expect(await deleteKeysWithPrefix(prefix)).toBe(0);
      expect(plain).toEqual([
        `greenlight: BOT_TOKEN: Telegram at ${telegram.apiRoot} rejected the bot token (401 Unauthorized): copy the current token from @BotFather (/mybots → API Token)`,
      ]);
      expect(all).not.toContain(TOKEN.split(":")[1]);
      // Not retried: one getMe, answered 401.
      expect(telegram.calls.map((c) => [c.method, c.errorCode])).toEqual([["getMe", 401]]);
    } finally {
      await telegram.close();
    }
  });

  it("Redis unreachable: one line naming REDIS_URL without its password, no stack per retry", async () => {
    const port = await freePort();
    const { code, lines, plain, log, all } = await run({
      REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}`,
      STARTUP_TIMEOUT_MS: "2000",
    });
    expect(code).toBe(1);
    // The target, one line for the refusal, the way out: no worker's or queue's error at all.
    expect(lines).toHaveLength(3);
    expect(plain).toEqual([
      `greenlight: cannot reach Redis within 2 s (ECONNREFUSED) at REDIS_URL=redis://127.0.0.1:${port}: is Redis running there (or set REDIS_SENTINELS)?`,
    ]);
    expect(log.filter((entry) => entry.msg === "Redis connection error")).toHaveLength(1);
    expect(all).not.toContain("hunter2");
    expect(all).not.toMatch(/\n\s+at /);
  });

  it("LOG_FORMAT=pretty: readable lines instead of JSON, secrets still masked", async () => {
    const port = await freePort();
    const { code, lines, all } = await run({
      REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}`,
      STARTUP_TIMEOUT_MS: "1000",
      LOG_FORMAT: "pretty",
    });
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith("{"))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/WARN.*Redis connection error/));
    expect(all).not.toContain("hunter2");
  });

  it("malformed OPERATOR_IDS: one configuration line naming it", async () => {
    const { code, lines } = await run({ OPERATOR_IDS: "12,alice" });
    expect(code).toBe(2);
    expect(lines).toEqual([
      "greenlight: configuration error: OPERATOR_IDS: must be comma-separated numeric Telegram ids",
    ]);
  });
});
