import type { Redis } from "ioredis";

/**
 * Fair shares of the state checks between worker processes. BullMQ hands a due shard job to
 * whichever worker asks first, and that is not random: the less busy process wins the race again
 * and again (two workers measured 71/29). So a worker that is ahead of another live worker in
 * this interval's count hands the job back for a moment, and the one behind takes it; alone, or
 * once a job has waited `maxDeferMs`, it runs it. Counts reset every interval.
 */

export interface TurnsSnapshot {
  me: string;
  now: number;
  /** Shard jobs each worker took this interval. */
  counts: ReadonlyMap<string, number>;
  /** When each worker last asked for a turn. */
  seen: ReadonlyMap<string, number>;
  /** A worker not seen for this long is not waited for (dead, or gone). */
  aliveMs: number;
}

/** Whether `me` should take the job now (pure; test/unit/alerts/check-turns.test.ts). */
export function myTurn({ me, now, counts, seen, aliveMs }: TurnsSnapshot): boolean {
  const mine = counts.get(me) ?? 0;
  for (const [worker, at] of seen) {
    if (worker === me || now - at > aliveMs) continue;
    if ((counts.get(worker) ?? 0) < mine) return false;
  }
  return true;
}

export class CheckTurns {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; me: string; intervalMs: number },
  ) {}

  /** Asks for this shard job: true to run it, false to hand it back to another worker. */
  async take(now = Date.now()): Promise<boolean> {
    const { prefix, me, intervalMs } = this.options;
    const window = Math.floor(now / intervalMs);
    const countsKey = `${prefix}:alerts:turns:${window}`;
    const seenKey = `${prefix}:alerts:turns:seen`;
    const aliveMs = intervalMs + 10_000;
    const [, seenRaw, countsRaw] = (await this.redis
      .multi()
      .hset(seenKey, me, String(now))
      .hgetall(seenKey)
      .hgetall(countsKey)
      .exec()) as [
      unknown,
      [Error | null, Record<string, string>],
      [Error | null, Record<string, string>],
    ];
    const seen = new Map(Object.entries(seenRaw[1] ?? {}).map(([k, v]) => [k, Number(v)]));
    const counts = new Map(Object.entries(countsRaw[1] ?? {}).map(([k, v]) => [k, Number(v)]));
    if (!myTurn({ me, now, counts, seen, aliveMs })) return false;
    // Workers gone for long are dropped, so the hash stays the size of the live set.
    const gone = [...seen].filter(([, at]) => now - at > 10 * aliveMs).map(([worker]) => worker);
    const pipeline = this.redis
      .multi()
      .hincrby(countsKey, me, 1)
      .pexpire(countsKey, 3 * intervalMs);
    if (gone.length > 0) pipeline.hdel(seenKey, ...gone);
    await pipeline.exec();
    return true;
  }
}
