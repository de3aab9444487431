import { afterEach, describe, expect, it } from "vitest";
import {
  DIGEST_EDIT_EVERY_MS,
  DIGEST_MIN_ITEMS,
  DIGEST_WINDOW_MS,
  digestEditDue,
  joinItems,
  joinsDigest,
} from "../../../src/alerts/digest.js";
import type { AlertItem, AlertMessage } from "../../../src/alerts/watch-state.js";
import { type Harness, startHarness, type TestInstance } from "../../kit/app-harness.js";
import { Redis } from "ioredis";
import { buttonsOf } from "../../kit/chat.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";

const item = (instance: string, endedAt?: number): AlertItem => ({
  kind: "down",
  instance,
  state: "notAuthorized",
  since: 0,
  initial: false,
  ...(endedAt === undefined ? {} : { endedAt }),
});
const message = (items: AlertItem[]): AlertMessage => ({ chatId: -1, messageId: 7, items });
const many = (count: number, endedAt?: number) =>
  Array.from({ length: count }, (_, i) => item(`i${i}`, endedAt));

describe("mass incidents: one digest per chat (pure)", () => {
  const now = 10 * DIGEST_WINDOW_MS;
  const digest = { chatId: -1, messageId: 7, changedAt: now - 1_000, editedAt: now - 1_000 };

  it.each([
    ["no alert in the chat yet", undefined, message(many(3)), 50, false],
    ["a few more beside a few: a new message, as before", digest, message(many(3)), 2, false],
    ["a burst joining a small alert", digest, message(many(1)), DIGEST_MIN_ITEMS - 1, true],
    ["one more joining a mass alert", digest, message(many(DIGEST_MIN_ITEMS)), 1, true],
    ["every problem of it ended", digest, message(many(DIGEST_MIN_ITEMS, now - 5)), 50, false],
    [
      "quiet for longer than the window",
      { ...digest, changedAt: now - DIGEST_WINDOW_MS - 1 },
      message(many(DIGEST_MIN_ITEMS)),
      50,
      false,
    ],
  ] as const)("%s", (_, record, alert, adding, joins) => {
    expect(joinsDigest(record, alert, adding, now)).toBe(joins);
  });

  it("adds new instances once, and edits at most every few seconds", () => {
    expect(joinItems([item("a")], [item("a"), item("b")]).map((i) => i.instance)).toEqual([
      "a",
      "b",
    ]);
    // An ended line stays; the same instance down again is listed anew.
    expect(joinItems([item("a", 5)], [item("a")])).toHaveLength(2);
    expect(digestEditDue(digest, digest.editedAt + DIGEST_EDIT_EVERY_MS - 1)).toBe(false);
    expect(digestEditDue(digest, digest.editedAt + DIGEST_EDIT_EVERY_MS)).toBe(true);
  });
});

const GROUPS = [-100700, -100800];

describe("mass logout: 200 instances at once", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it(
    "gives one digest message per alert chat, edited as more join, with no Telegram 429",
    { timeout: 60_000 },
    async () => {
      const fleet: TestInstance[] = Array.from({ length: 200 }, (_, i) => ({
        name: `shop${i}`,
        idInstance: String(1102000000 + i),
        apiTokenInstance: `token${i}`.padEnd(50, "0"),
      }));
      h = await startHarness({
        start: false,
        instances: fleet,
        telegramRateLimits: true,
        env: {
          STATE_POLL_INTERVAL_MS: "1000",
          GREEN_API_REQUESTS_PER_SECOND: "0",
          // 200 checks at once on a busy CI machine: no "unreachable" from a short timeout.
          GREEN_API_TIMEOUT_MS: "5000",
          ALERT_CHAT_IDS: GROUPS.join(","),
          // Telegram's limits, paced as in production.
          TELEGRAM_BOT_SENDS_PER_SECOND: "28",
          TELEGRAM_GROUP_SENDS_PER_MINUTE: "19",
          TELEGRAM_PRIVATE_SENDS_PER_SECOND: "1",
        },
      });
      for (const instance of fleet) h.greenApi.instance(instance.idInstance).state = "authorized";
      await h.app.start();
      const checked = () =>
        fleet.every((i) => h.greenApi.callsOf("getStateInstance", i.idInstance).length > 0);
      await eventually(checked, "a first check of every instance", 15_000);

      for (const instance of fleet)
        h.greenApi.instance(instance.idInstance).state = "notAuthorized";
      for (const chatId of GROUPS) {
        const header = () => h.telegram.messagesIn(chatId).at(-1)?.text?.split("\n")[0];
        await eventually(
          () => header() === "🔴 200 instances need attention",
          `the digest in ${chatId} listing all 200`,
          40_000,
        ).catch((error: Error) => {
          throw new Error(
            `${error.message}; now ${h.telegram.messagesIn(chatId).length} message(s), "${header()}"`,
          );
        });
      }
      for (const chatId of GROUPS) {
        const sent = h.telegram.calls.filter(
          (c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId,
        );
        const edits = h.telegram.calls.filter(
          (c) => c.method === "editMessageText" && Number(c.params.chat_id) === chatId,
        );
        expect(sent).toHaveLength(1);
        expect(edits.length).toBeGreaterThan(0);
        expect(h.telegram.messagesIn(chatId)).toHaveLength(1);
        const digest = h.telegram.messagesIn(chatId)[0];
        const redis = new Redis(redisUrl());
        const raw = await redis.get(
          `${h.config.env.REDIS_PREFIX}:alerts:message:${chatId}/${digest?.messageId}`,
        );
        redis.disconnect();
        const items = (
          JSON.parse(raw ?? "{}") as {
            items: Array<{ instance: string; kind: string; endedAt?: number }>;
          }
        ).items;
        // Every instance once, as logged out.
        expect(new Set(items.map((i) => i.instance)).size, JSON.stringify(items.slice(0, 5))).toBe(
          200,
        );
        expect(items.filter((i) => i.kind === "down" && i.endedAt === undefined)).toHaveLength(200);
        expect(digest?.text).toMatch(/…and \d+ more/);
        // Buttons for the first 10 (QR, Code and, in a group, "I'm on it" each), then Show all
        // (digest-pager.test.ts).
        expect(buttonsOf(digest)).toHaveLength(31);
        expect(buttonsOf(digest).at(-1)).toBe("📜 Show all");
      }
      expect(h.telegram.calls.filter((c) => c.errorCode === 429)).toEqual([]);
    },
  );
});
