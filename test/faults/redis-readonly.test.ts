import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis, type RedisOptions } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createRedisConnection, type RedisEnv } from "../../src/config/redis-connection.js";
import { RedisServer } from "../kit/redis-server.js";
import { TcpProxy } from "../kit/tcp-proxy.js";
import { eventually } from "../kit/wait.js";

// The options app.ts gives its connections (the store's fail-fast one, BullMQ's).
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 1000);
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 3_000,
  retryStrategy,
};
const BULLMQ: RedisOptions = { maxRetriesPerRequest: null, retryStrategy };
const RECOVERY_MS = 5_000;
// noeviction as BullMQ wants; a primary with a replica must not wait for it on SIGTERM.
const SERVER_ARGS = ["--maxmemory-policy", "noeviction", "--shutdown-timeout", "0"];

/** Where a server keeps the RDB a full sync writes: a temp folder, not the working directory. */
function dirArgs(cleanup: Array<() => unknown>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-readonly-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return ["--dir", dir];
}

async function replicationRole(url: string): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return /role:(\w+)/.exec(await client.info("replication"))?.[1];
  } finally {
    client.disconnect();
  }
}

describe("a primary demoted under its connections (managed Redis failing over behind one name)", () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("READONLY makes greenlight's connections reconnect and write to the new primary", async () => {
    const first = await RedisServer.start({ args: [...SERVER_ARGS, ...dirArgs(cleanup)] });
    cleanup.push(() => first.close());
    const second = await RedisServer.start({
      args: [...SERVER_ARGS, ...dirArgs(cleanup), "--replicaof", "127.0.0.1", String(first.port)],
    });
    cleanup.push(() => second.close());
    await eventually(
      async () => (await replicationRole(second.url)) === "slave",
      "the replica attached",
    );
    const proxy = await TcpProxy.start(first.port);
    cleanup.push(() => proxy.close());
    const env: RedisEnv = {
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_SENTINEL_NAME: "mymaster",
    };
    const store = createRedisConnection(env, FAIL_FAST);
    const bull = createRedisConnection(env, BULLMQ);
    // Without reconnectOnError, as before: the connection stays on the demoted node.
    const unguarded = new Redis(env.REDIS_URL, FAIL_FAST);
    for (const client of [store, bull, unguarded]) {
      client.on("error", () => undefined);
      cleanup.push(() => client.disconnect());
    }
    for (const client of [store, bull, unguarded]) {
      await eventually(() => client.status === "ready", "a connection ready");
      expect(await client.set("k", "before")).toBe("OK");
    }

    // The failover: the replica is promoted, the old primary follows it, the name moves.
    const promoted = new Redis(second.url);
    cleanup.push(() => promoted.disconnect());
    await promoted.replicaof("NO", "ONE");
    const demoted = new Redis(first.url);
    cleanup.push(() => demoted.disconnect());
    await demoted.replicaof("127.0.0.1", String(second.port));
    proxy.retarget(second.port);
    expect(await replicationRole(first.url)).toBe("slave");

    // BullMQ's connection: the write that met READONLY is sent again to the new primary.
    const startedAt = Date.now();
    expect(await bull.set("k", "bull")).toBe("OK");
    expect(await promoted.get("k")).toBe("bull");
    // The store's fails fast (no offline queue) and the next write goes to the new primary.
    await expect(store.set("k", "store")).rejects.toThrow(/READONLY|writeable|closed/);
    await eventually(
      () => store.set("k", "store").catch(() => undefined),
      "the store writing again",
      RECOVERY_MS,
    );
    expect(await promoted.get("k")).toBe("store");
    expect(Date.now() - startedAt).toBeLessThan(RECOVERY_MS);
    // The control: a connection without it keeps writing to a read-only replica.
    await expect(unguarded.set("k", "x")).rejects.toThrow(/^READONLY/);
    await expect(unguarded.set("k", "x")).rejects.toThrow(/^READONLY/);
  });
});
