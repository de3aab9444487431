import type { Redis } from "ioredis";

/** Nearest-rank percentile of ascending `sorted` values; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Commands Redis has run so far (INFO commandstats): all of them, and the Lua script calls. */
export async function redisCommandCalls(redis: Redis): Promise<{ total: number; eval: number }> {
  const info = await redis.info("commandstats");
  let total = 0;
  let evalCalls = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const calls = Number(match[2]);
    // The INFO call that reads these is not the worker's.
    if (match[1] === "info") continue;
    total += calls;
    if (match[1] === "eval" || match[1] === "evalsha") evalCalls += calls;
  }
  return { total, eval: evalCalls };
}
