import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ChatPacer, NoTurnError, paceChats, WITHIN_MS } from "../../src/telegram/pacing/index.js";
import { redisUrl, uniquePrefix } from "../kit/redis.js";

// One bot-wide Telegram budget in Redis, shared by every send of every process. A QR rotation's
// edit waits for its chat's turn first and takes the bot's slot right before the call, so that it
// reaches Telegram in the slot it booked; it is not made when that slot is too far away.
describe("the bot's one budget: QR edits take their slot last, and only if it comes soon", () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.disconnect());

  const pacer = (prefix: string, botPerSecond: number, privatePerSecond = 0) =>
    new ChatPacer(redis, { prefix, botPerSecond, groupPerMinute: 0, privatePerSecond });

  /** A grammY call through the pacing transformer; what was sent, and when. */
  const transport = (budget: ChatPacer) => {
    const transformer = paceChats(budget);
    const sent: Array<{ method: string; at: number }> = [];
    const prev = (async (method: string) => {
      sent.push({ method, at: Date.now() });
      return { ok: true, result: true };
    }) as unknown as Parameters<typeof transformer>[0];
    const call = (chatId: number, withinMs?: number) =>
      transformer(prev, "editMessageMedia", {
        chat_id: chatId,
        message_id: 1,
        ...(withinMs !== undefined ? { [WITHIN_MS]: withinMs } : {}),
      } as never);
    return { sent, call };
  };

  it("does not make a QR edit whose bot slot is further away than it may wait, by any send's booking", async () => {
    const budget = pacer(uniquePrefix("bot-budget"), 1);
    const { sent, call } = transport(budget);
    await call(42); // a reply to some chat uses the second's slot
    await expect(call(43, 0)).rejects.toBeInstanceOf(NoTurnError);
    expect(sent.map((s) => s.method)).toEqual(["editMessageMedia"]);
  });

  it("is one budget for every worker on the same prefix", async () => {
    const prefix = uniquePrefix("bot-budget-workers");
    const secondConnection = new Redis(redisUrl());
    const workerB = new ChatPacer(secondConnection, {
      prefix,
      botPerSecond: 1,
      groupPerMinute: 0,
      privatePerSecond: 0,
    });
    expect(await pacer(prefix, 1).waitTurn(1, undefined, 0)).toBe(true);
    expect(await workerB.waitTurn(2, undefined, 0)).toBe(false);
    secondConnection.disconnect();
    expect(await pacer(uniquePrefix("bot-budget-other"), 1).waitTurn(2, undefined, 0)).toBe(true);
  });

  it("takes the bot's slot after the chat's turn: a QR edit waiting for its chat holds no bot slot meanwhile", async () => {
    // 1 send a second per private chat, 2 a second for the bot.
    const budget = pacer(uniquePrefix("bot-budget-order"), 2, 1);
    const { sent, call } = transport(budget);
    await call(7); // chat 7's turn for the next second is gone (burst 2 for private chats)
    await call(7);
    const started = Date.now();
    // Chat 7's third edit waits ~1 s for its chat; another chat's edit meanwhile is not held up
    // by a bot slot chat 7 booked ahead (0.2.0 booked it first, then waited for the chat).
    const waiting = call(7, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await call(8, 5_000);
    const otherAt = Date.now() - started;
    await waiting;
    expect(otherAt).toBeLessThan(800);
    expect(sent).toHaveLength(4);
    // Sent in the order their bot slots came: chat 8 before chat 7's third.
    expect(sent.at(-1)?.at).toBeGreaterThanOrEqual(sent.at(-2)?.at ?? Infinity);
  });

  it("serves waiting QR edits first come, first served, at the budget's rate, none lost", async () => {
    const budget = pacer(uniquePrefix("bot-budget-fifo"), 20);
    const { sent, call } = transport(budget);
    await Promise.all(Array.from({ length: 8 }, (_, i) => call(100 + i, 5_000)));
    expect(sent).toHaveLength(8);
    // 8 slots 50 ms apart: the last is at least 350 ms after the first (timers never fire early).
    expect((sent.at(-1)?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(340);
  });

  it("a call that wakes late for its bot slot books a new one instead of bunching with the next calls: no sliding second over the budget", async () => {
    const budget = pacer(uniquePrefix("bot-budget-late"), 20);
    const { sent, call } = transport(budget);
    const calls = Promise.all(Array.from({ length: 40 }, (_, i) => call(200 + i, 10_000)));
    // A busy event loop (a render, a GC pause) holds every timer for 400 ms: the calls whose
    // slots passed meanwhile all wake at once, behind their time.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const blockedUntil = Date.now() + 400;
    while (Date.now() < blockedUntil) {
      // busy
    }
    await calls;
    expect(sent).toHaveLength(40);
    const times = sent.map((s) => s.at);
    const mostInASecond = Math.max(
      ...times.map((t) => times.filter((u) => u > t - 1_000 && u <= t).length),
    );
    // 20 a second; one more for timer jitter at a window's edges. Sent when they woke, the late
    // ones would have made it 27 or more.
    expect(mostInASecond).toBeLessThanOrEqual(21);
  });

  it("never holds a QR edit when the bot is not paced", async () => {
    const budget = pacer(uniquePrefix("bot-budget-off"), 0);
    expect(await budget.waitTurn(1, undefined, 0)).toBe(true);
    expect(await budget.waitTurn(1, undefined, 0)).toBe(true);
  });
});
