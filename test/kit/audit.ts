import { Redis } from "ioredis";
import type { Harness } from "./app-harness.js";
import { redisUrl } from "./redis.js";

/** The audit log as stored, newest first, as "action: result" ("logout: failed: declined"). */
export async function auditedResults(h: Harness): Promise<string[]> {
  const redis = new Redis(redisUrl());
  try {
    const raw = await redis.lrange(`${h.config.env.REDIS_PREFIX}:audit`, 0, -1);
    return raw.map((line) => {
      const entry = JSON.parse(line) as { action: string; result: string };
      return `${entry.action}: ${entry.result}`;
    });
  } finally {
    redis.disconnect();
  }
}
