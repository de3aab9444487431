import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { reserveSlot } from "../../src/shared/gcra.js";
import { ChatPacer } from "../../src/telegram/pacing/chat-pacer.js";
import { redisUrl, uniquePrefix } from "../kit/redis.js";

describe("reserveSlot: a rate limit in Redis that books slots first come, first served", () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.disconnect());

  it("lets a burst through back to back, then spaces callers by the interval", async () => {
    const key = `${uniquePrefix("gcra-burst")}:chat`;
    const limit = { intervalMs: 1_000, burst: 2 };
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await reserveSlot(redis, key, limit, 5_000));
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBe(0);
    expect(waits[2]).toBeGreaterThan(950);
    expect(waits[3]).toBeGreaterThan(1_950);
  });

  it("reserves nothing when the first free slot is further away than the caller will wait", async () => {
    const key = `${uniquePrefix("gcra-refuse")}:group`;
    const limit = { intervalMs: 10_000, burst: 1 };
    expect(await reserveSlot(redis, key, limit, 0)).toBe(0);
    expect(await reserveSlot(redis, key, limit, 5_000)).toBe(-1);
    // Nothing was booked by the refusal: the next caller who can wait gets the slot after the first.
    const wait = await reserveSlot(redis, key, limit, 20_000);
    expect(wait).toBeGreaterThan(9_900);
    expect(wait).toBeLessThanOrEqual(10_000);
  });
});

// Every Telegram call waits for its chat's turn and then for the bot's: a group whose next slot is
// seconds away must not hold up the bot's other chats (a bot-wide slot booked that far ahead would).
describe("ChatPacer: the bot's and each chat's limits together", () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.disconnect());

  it("keeps a group to its pace while a private chat sends at once", async () => {
    const pacer = new ChatPacer(redis, {
      prefix: uniquePrefix("pacer"),
      botPerSecond: 20,
      groupPerMinute: 12, // one every 5 s
      privatePerSecond: 1,
    });
    const timeOf = async (send: Promise<unknown>) => {
      const started = Date.now();
      await send;
      return Date.now() - started;
    };
    expect(await timeOf(pacer.waitTurn(-100))).toBeLessThan(500);
    const secondInGroup = timeOf(pacer.waitTurn(-100));
    const privateChat = await timeOf(pacer.waitTurn(42));
    expect(privateChat).toBeLessThan(500);
    expect(await secondInGroup).toBeGreaterThan(4_500);
  });

  it("spaces the bot's sends across chats by the bot's limit", async () => {
    const pacer = new ChatPacer(redis, {
      prefix: uniquePrefix("pacer-bot"),
      botPerSecond: 4,
      groupPerMinute: 0,
      privatePerSecond: 0,
    });
    const started = Date.now();
    const done = await Promise.all(
      [1, 2, 3, 4, 5].map(async (chatId) => {
        await pacer.waitTurn(chatId);
        return Date.now() - started;
      }),
    );
    // 4 a second, no burst: the fifth goes out about a second after the first.
    expect(Math.max(...done)).toBeGreaterThan(900);
    expect(Math.min(...done)).toBeLessThan(200);
  });
});
