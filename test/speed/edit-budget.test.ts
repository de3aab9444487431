import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { EditBudget } from "../../src/qr-session/edit-budget.js";
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

  it("lets every one of many waiting callers edit once the budget refills, none lost", async () => {
    const budget = new EditBudget(redis, {
      prefix: uniquePrefix("budget-queue"),
      perSecond: 10,
      burst: 1,
    });
    const results = await Promise.all(Array.from({ length: 12 }, () => budget.take(5_000)));
    expect(results.every(Boolean)).toBe(true);
    // The bucket is empty after them: the next caller that cannot wait is refused.
    expect(await budget.take(0)).toBe(false);
  });
});
