import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { EditBudget } from "../../src/telegram/pacing/edit-budget.js";
import { redisUrl, uniquePrefix } from "../kit/redis.js";

// The bot-wide QR edit budget lives in Redis, so every worker process draws from the same one.
describe("EditBudget", () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.disconnect());

  it("grants its burst at once, then refuses a caller that cannot wait", async () => {
    const budget = new EditBudget(redis, {
      prefix: uniquePrefix("budget"),
      perSecond: 1,
      burst: 3,
    });
    const granted = [];
    for (let i = 0; i < 4; i++) granted.push(await budget.take(0));
    expect(granted).toEqual([true, true, true, false]);
  });

  it("is one budget for every worker on the same prefix", async () => {
    const prefix = uniquePrefix("budget-shared");
    const workerA = new EditBudget(redis, { prefix, perSecond: 1, burst: 2 });
    const secondConnection = new Redis(redisUrl());
    const workerB = new EditBudget(secondConnection, { prefix, perSecond: 1, burst: 2 });
    expect(await workerA.take(0)).toBe(true);
    expect(await workerA.take(0)).toBe(true);
    expect(await workerB.take(0)).toBe(false);
    secondConnection.disconnect();
    const other = new EditBudget(redis, {
      prefix: uniquePrefix("budget-other"),
      perSecond: 1,
      burst: 2,
    });
    expect(await other.take(0)).toBe(true);
  });

  it("lets every one of many waiting callers edit, none lost, and refuses one that cannot wait", async () => {
    const budget = new EditBudget(redis, {
      prefix: uniquePrefix("budget-queue"),
      perSecond: 10,
      burst: 1,
    });
    const waiting = Array.from({ length: 12 }, () => budget.take(5_000));
    // Asked after the twelve (same connection, so Redis sees it last): their slots fill the next
    // 1.1 s, so a caller that cannot wait at all is refused.
    const impatient = budget.take(0);
    expect(await Promise.all(waiting)).toEqual(Array(12).fill(true));
    expect(await impatient).toBe(false);
  });

  it("serves waiting callers first come, first served, at the budget's rate", async () => {
    const budget = new EditBudget(redis, {
      prefix: uniquePrefix("budget-fifo"),
      perSecond: 20,
      burst: 1,
    });
    const started = Date.now();
    const grantedAt: number[] = [];
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        budget.take(5_000).then((granted) => {
          expect(granted).toBe(true);
          order.push(i);
          grantedAt.push(Date.now() - started);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // 8 slots 50 ms apart: the last is at least 350 ms after the first (timers never fire early).
    expect(grantedAt.at(-1)! - grantedAt[0]!).toBeGreaterThanOrEqual(340);
  });

  it("gives a slot up when the caller is stopped while waiting", async () => {
    const budget = new EditBudget(redis, {
      prefix: uniquePrefix("budget-abort"),
      perSecond: 1,
      burst: 1,
    });
    expect(await budget.take(0)).toBe(true);
    const stop = new AbortController();
    const waiting = budget.take(5_000, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
  });
});
