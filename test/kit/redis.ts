// Redis helpers for tests. The server is started once by test/setup/redis.ts (globalSetup); tests
// share it and stay apart by using a fresh key prefix (BullMQ `prefix`) each.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { inject } from "vitest";
import type {} from "../setup/redis.js"; // brings in the ProvidedContext declaration

/** URL of the test Redis, e.g. "redis://127.0.0.1:40123". */
export function redisUrl(): string {
  return inject("redisUrl");
}

/**
 * A key prefix no other test uses: `t-${name}-${random}`. It never contains ':' (BullMQ joins
 * prefix and queue name with ':' and forbids ':' in custom ids).
 */
export function uniquePrefix(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40);
  return `t-${safe}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under `prefix` (cleanup for afterEach/afterAll). Returns how many. */
export async function deleteKeysWithPrefix(prefix: string): Promise<number> {
  const client = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    client.disconnect();
  }
}
