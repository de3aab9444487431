import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { BOT_SLOT_TAKEN, ChatPacer, paceChats } from "../../src/telegram/pacing/index.js";
import { redisUrl, uniquePrefix } from "../kit/redis.js";

// One bot-wide Telegram budget in Redis, shared by every send of every process. A QR rotation
// takes its slot ahead (takeBotSlot) so it can skip a stale QR, and its call then is not counted
// a second time.
describe("the bot's one budget: QR edits take their slot ahead", () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.disconnect());

  const pacer = (prefix: string, botPerSecond: number) =>
    new ChatPacer(redis, { prefix, botPerSecond, groupPerMinute: 0, privatePerSecond: 0 });

  const timeOf = async (work: Promise<unknown>) => {
    const started = Date.now();
    await work;
    return Date.now() - started;
  };

  it("refuses a QR edit that cannot wait once the bot's slot is taken, by any send", async () => {
    const budget = pacer(uniquePrefix("bot-budget"), 1);
    expect(await budget.takeBotSlot(0)).toBe(true);
    expect(await budget.takeBotSlot(0)).toBe(false);

    const shared = pacer(uniquePrefix("bot-budget-shared"), 1);
    await shared.waitTurn(42); // a reply to some chat uses the second's slot
    expect(await shared.takeBotSlot(0)).toBe(false);
  });

  it("is one budget for every worker on the same prefix", async () => {
    const prefix = uniquePrefix("bot-budget-workers");
    const secondConnection = new Redis(redisUrl());
    const workerA = pacer(prefix, 1);
    const workerB = new ChatPacer(secondConnection, {
      prefix,
      botPerSecond: 1,
      groupPerMinute: 0,
      privatePerSecond: 0,
    });
    expect(await workerA.takeBotSlot(0)).toBe(true);
    expect(await workerB.takeBotSlot(0)).toBe(false);
    secondConnection.disconnect();
    expect(await pacer(uniquePrefix("bot-budget-other"), 1).takeBotSlot(0)).toBe(true);
  });

  it("does not count a call twice: a call marked BOT_SLOT_TAKEN waits for its chat only", async () => {
    const budget = pacer(uniquePrefix("bot-budget-marked"), 1);
    const transformer = paceChats(budget);
    const sent: string[] = [];
    const prev = (async (method: string) => {
      sent.push(method);
      return { ok: true, result: true };
    }) as unknown as Parameters<typeof transformer>[0];
    const call = (marked: boolean) =>
      transformer(prev, "editMessageMedia", {
        chat_id: 42,
        message_id: 1,
        ...(marked ? { [BOT_SLOT_TAKEN]: true } : {}),
      } as never);

    expect(await budget.takeBotSlot(0)).toBe(true);
    expect(await timeOf(call(true))).toBeLessThan(300);
    // An unmarked call books the next slot of a 1/s budget: about a second away.
    expect(await timeOf(call(false))).toBeGreaterThan(700);
    expect(sent).toEqual(["editMessageMedia", "editMessageMedia"]);
  });

  it("serves waiting QR edits first come, first served, at the budget's rate, none lost", async () => {
    const budget = pacer(uniquePrefix("bot-budget-fifo"), 20);
    const started = Date.now();
    const grantedAt: number[] = [];
    const order: number[] = [];
    const granted = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        budget.takeBotSlot(5_000).then((ok) => {
          order.push(i);
          grantedAt.push(Date.now() - started);
          return ok;
        }),
      ),
    );
    expect(granted).toEqual(Array(8).fill(true));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // 8 slots 50 ms apart: the last is at least 350 ms after the first (timers never fire early).
    expect(grantedAt.at(-1)! - grantedAt[0]!).toBeGreaterThanOrEqual(340);
  });

  it("gives a slot up when the session is stopped while waiting", async () => {
    const budget = pacer(uniquePrefix("bot-budget-abort"), 1);
    expect(await budget.takeBotSlot(0)).toBe(true);
    const stop = new AbortController();
    const waiting = budget.takeBotSlot(5_000, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
  });

  it("never holds a QR edit when the bot is not paced", async () => {
    const budget = pacer(uniquePrefix("bot-budget-off"), 0);
    expect(await budget.takeBotSlot(0)).toBe(true);
    expect(await budget.takeBotSlot(0)).toBe(true);
  });
});
