import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AlertStore } from "../../../src/alerts/alert-store.js";
import { MuteStore } from "../../../src/alerts/mute-store.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import type { StoredMessage } from "../../fakes/fake-telegram.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  startHarness,
  type TestInstance,
} from "../../kit/app-harness.js";
import { buttonData, buttonsOf, textMessages, waitForText } from "../../kit/chat.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";

/**
 * /status for a fleet (issue #14): above 20 instances it answers from the state watcher's records
 * in Redis (written here through AlertStore, as the watcher writes them), without a GREEN-API
 * call: a summary, then pages of 20, problems first, each press re-checking the presser's rights.
 */

const VIEWER = 1003;
const COUNT = 150;
/** inst-120 … inst-149 are private to SECOND_OPERATOR: OPERATOR and VIEWER see the other 120. */
const PRIVATE_FROM = 120;
const nameOf = (i: number) => `inst-${String(i).padStart(3, "0")}`;
const isPrivate = (name: string) => Number(name.slice(5)) >= PRIVATE_FROM;

const NOT_AUTHORIZED = new Set([5, 17, 33, 121, 140]);
const UNREACHABLE = new Set([8, 130]);
const NEVER_CHECKED = new Set([60, 61]);
const SLEEPING = new Set([99]);

const instances: TestInstance[] = Array.from({ length: COUNT }, (_, i) => ({
  name: nameOf(i),
  idInstance: String(1_102_000_000 + i),
  apiTokenInstance: `token${String(i).padStart(3, "0")}abcdef0123456789abcdef0123456789abcdef`,
  ...(i >= PRIVATE_FROM ? { operators: [SECOND_OPERATOR] } : {}),
}));

function watchOf(i: number, now: number): InstanceWatch | undefined {
  if (NEVER_CHECKED.has(i)) return undefined;
  const checkedAt = now - i * 1_000;
  const incident = { since: now - 3_600_000, initial: false, unsent: [], messages: [] };
  if (NOT_AUTHORIZED.has(i))
    return { state: "notAuthorized", checkedAt, failures: 0, down: incident };
  if (UNREACHABLE.has(i))
    return { state: "authorized", checkedAt, failures: 3, unreachable: incident };
  return { state: SLEEPING.has(i) ? "sleepMode" : "authorized", checkedAt, failures: 0 };
}

const namesOn = (message: StoredMessage | undefined) =>
  [...(message?.text ?? "").matchAll(/\binst-\d{3}\b/g)].map((match) => match[0]);
const callbackData = (message: StoredMessage | undefined) =>
  (
    (message?.replyMarkup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })
      ?.inline_keyboard ?? []
  )
    .flat()
    .map((button) => button.callback_data ?? "");

describe("/status for a fleet: the watcher's records, a summary and pages", () => {
  let h: Harness;
  let redis: Redis;
  let alertStore: AlertStore;

  beforeAll(() => {
    expect(instances.filter((i) => !isPrivate(i.name))).toHaveLength(120);
  });

  afterEach(async () => {
    redis?.disconnect();
    await h?.close();
  });

  async function start() {
    h = await startHarness({ instances, env: { VIEWER_IDS: String(VIEWER) } });
    h.telegram.userStartedBot(VIEWER);
    redis = new Redis(redisUrl());
    alertStore = new AlertStore(redis, h.env.REDIS_PREFIX ?? "");
    const now = Date.now();
    const watches = new Map<string, InstanceWatch>();
    instances.forEach((_, i) => {
      const watch = watchOf(i, now);
      if (watch) watches.set(nameOf(i), watch);
    });
    await alertStore.saveWatches(watches);
  }

  /** Presses a button (or sends forged data) and waits for the bot's answer to the press. */
  async function press(message: StoredMessage, data: string, fromId = OPERATOR) {
    const { callbackQueryId } = h.telegram.userPresses({
      chatId: message.chatId,
      fromId,
      messageId: message.messageId,
      data,
    });
    await eventually(
      () => h.telegram.answeredCallback(callbackQueryId) !== undefined,
      `the answer to ${data}`,
    );
    return String(h.telegram.answeredCallback(callbackQueryId)?.params.text ?? "");
  }

  const liveCalls = () =>
    h.greenApi.calls.filter((call) => /getStateInstance|getWaSettings/.test(call.method));

  it("answers from the watcher's records with a summary and page 1, problems first, and pages with ◀ ▶", async () => {
    await start();
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const list = await waitForText(h, "instances");
    const text = list.text ?? "";
    expect(text.split("\n")[0]).toBe(
      "📋 120 instances · ✅ 113 authorized · ⚠️ 3 not authorized · 😴 1 sleep mode · ❔ 1 unreachable · 🕓 2 not checked yet",
    );
    expect(text).toMatch(/checks from \d{4}-\d\d-\d\d \d\d:\d\d to \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain("Page 1 of 6:");
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/inst-005 — ⚠️ not authorized · since \d\d-\d\d \d\d:\d\d/);
    expect(text).toContain("inst-008 — ❔ unreachable");
    expect(text).toContain("inst-060 — 🕓 not checked yet");
    // Problems first, then by name; 20 a page; nothing private to another operator.
    expect(namesOn(list)).toEqual([
      "inst-005",
      "inst-017",
      "inst-033",
      "inst-008",
      "inst-099",
      "inst-060",
      "inst-061",
      ...Array.from({ length: 13 }, (_, i) => nameOf(i)).filter(
        (name) => !["inst-005", "inst-008"].includes(name),
      ),
      "inst-013",
      "inst-014",
    ]);
    // QR / Code for the page's instances that need it (not inst-008: GREEN-API does not answer
    // for it, so neither would work), then 🔄 and ▶.
    expect(buttonsOf(list)).toEqual([
      ...["005", "017", "033", "099", "060", "061"].flatMap((n) => [
        `📷 QR inst-${n}`,
        `🔑 Code inst-${n}`,
      ]),
      "🔄 Refresh",
      "▶",
    ]);
    expect(liveCalls()).toEqual([]);

    // ▶ edits the same message to page 2.
    expect(await press(list, buttonData(list, "▶"))).toBe("Page 2 of 6");
    const second = await eventually(() => {
      const message = h.telegram.message(OPERATOR, list.messageId);
      return message?.text?.includes("Page 2 of 6:") ? message : undefined;
    }, "page 2");
    const problems = new Set([...NOT_AUTHORIZED, ...UNREACHABLE, ...NEVER_CHECKED, ...SLEEPING]);
    const fine = Array.from({ length: PRIVATE_FROM }, (_, i) => i).filter((i) => !problems.has(i));
    expect(namesOn(second)).toEqual(fine.slice(13, 33).map(nameOf));
    expect(buttonsOf(second)).toEqual(["◀", "🔄 Refresh", "▶"]);
    expect(textMessages(h)).toHaveLength(1);

    // 🔄 keeps the page and reads the records again: inst-020 got logged out meanwhile.
    await alertStore.saveWatches(
      new Map([["inst-020", { state: "notAuthorized", checkedAt: Date.now(), failures: 0 }]]),
    );
    expect(await press(second, buttonData(second, "🔄 Refresh"))).toBe("Updated.");
    const refreshed = await eventually(() => {
      const message = h.telegram.message(OPERATOR, list.messageId);
      return message?.text?.includes("⚠️ 4 not authorized") ? message : undefined;
    }, "the refreshed page");
    expect(refreshed.text).toContain("Page 2 of 6:");
    expect(liveCalls()).toEqual([]);
  });

  it("walks every page of exactly the instances the reader may see; the viewer gets no QR / Code", async () => {
    await start();
    await new MuteStore(redis, h.env.REDIS_PREFIX ?? "").mute(
      "inst-017",
      Date.now() + 3_600_000,
      OPERATOR,
    );
    for (const [userId, pages] of [
      [OPERATOR, 6],
      [VIEWER, 6],
      [SECOND_OPERATOR, 8],
    ] as const) {
      h.telegram.userSends({ chatId: userId, fromId: userId, text: "/status" });
      const list = await waitForText(h, "instances", userId);
      // inst-017 (muted) is on the first page of those who see it.
      expect(list.text).toMatch(/inst-017 — .*\n {3}🔕 muted until \d\d-\d\d \d\d:\d\d/);
      const seen: string[] = [];
      for (let page = 1; page <= pages; page += 1) {
        const shown = await eventually(() => {
          const message = h.telegram.message(userId, list.messageId);
          return message?.text?.includes(`Page ${page} of ${pages}:`) ? message : undefined;
        }, `page ${page} for ${userId}`);
        expect((shown.text ?? "").length).toBeLessThanOrEqual(4096);
        seen.push(...namesOn(shown));
        const links = callbackData(shown).filter((data) => /^(qr|code):/.test(data));
        if (userId === VIEWER) expect(links).toEqual([]);
        if (page < pages) await press(shown, buttonData(shown, "▶"), userId);
      }
      expect(new Set(seen).size).toBe(seen.length);
      if (userId === SECOND_OPERATOR) {
        expect(seen).toHaveLength(150);
        expect(seen.slice(0, 5)).toEqual([
          "inst-005",
          "inst-017",
          "inst-033",
          "inst-121",
          "inst-140",
        ]);
      } else {
        expect(seen).toHaveLength(120);
        expect(seen.filter(isPrivate)).toEqual([]);
      }
    }
    expect(liveCalls()).toEqual([]);
  });

  it("answers a stale or forged page press briefly and changes nothing", async () => {
    await start();
    // SECOND_OPERATOR's list in the group has 8 pages; OPERATOR sees 6 of them.
    h.telegram.userSends({ chatId: GROUP_CHAT, fromId: SECOND_OPERATOR, text: "/status" });
    const list = await waitForText(h, "150 instances", GROUP_CHAT);
    const before = h.telegram.message(GROUP_CHAT, list.messageId)?.editCount;
    expect(await press(list, "st:page:7", OPERATOR)).toBe(
      "This page is out of date: send /status again.",
    );
    expect(await press(list, "st:page:x", OPERATOR)).toBe("This button is no longer valid.");
    expect(await press(list, "st:page:1:2", SECOND_OPERATOR)).toBe(
      "This button is no longer valid.",
    );
    expect(h.telegram.message(GROUP_CHAT, list.messageId)?.editCount).toBe(before);

    // A page OPERATOR has: it shows their own list, never SECOND_OPERATOR's private instances.
    expect(await press(list, "st:page:5", OPERATOR)).toBe("Page 6 of 6");
    const last = await eventually(() => {
      const message = h.telegram.message(GROUP_CHAT, list.messageId);
      return message?.text?.includes("Page 6 of 6:") ? message : undefined;
    }, "OPERATOR's last page");
    expect(last.text).toContain("📋 120 instances");
    expect(namesOn(last).filter(isPrivate)).toEqual([]);
    expect(liveCalls()).toEqual([]);
  });

  it("stays live, as before, for 20 instances", async () => {
    h = await startHarness({ instances: instances.slice(0, 20) });
    redis = new Redis(redisUrl());
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const list = await waitForText(h, "Instances");
    expect(list.text).toContain("inst-019 — ⚠️ not authorized");
    expect(list.text).toMatch(/Checked \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(buttonsOf(list).at(-1)).toBe("🔄 Refresh");
    expect(h.greenApi.callsOf("getStateInstance")).toHaveLength(20);
  });
});
