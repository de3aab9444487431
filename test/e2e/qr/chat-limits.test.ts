import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ChatSlots } from "../../../src/telegram/pacing/chat-slots.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SHOP,
  SUPPORT,
  startHarness,
  type TestInstance,
} from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, press, waitForCaption, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { redisUrl, uniquePrefix } from "../../kit/redis.js";
import { eventually, pause } from "../../kit/wait.js";

const OPS: TestInstance = {
  name: "ops",
  idInstance: "1101000003",
  apiTokenInstance: "opstoken0123456789abcdef0123456789abcdef0123456789ab",
};

// Telegram allows a bot about 20 messages a minute in a group and a live QR costs 3 edits a
// minute: past QR_MAX_SESSIONS_PER_GROUP (1 here) a group's next session waits its turn there.
describe("/qr in a group that already shows as many live QRs as it can keep fresh", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const askInGroup = (instance: string) =>
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: `/qr ${instance}`,
    });
  const qrOf = (instance: TestInstance) => h.greenApi.instance(instance.idInstance);
  /** The group (room for 1 live QR here) already shows shop's QR. */
  const startWithShopLiveInGroup = async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      instances: [SHOP, SUPPORT, OPS],
      env: { QR_MAX_SESSIONS_PER_GROUP: "1", SECRET_CHAT_IDS: `${GROUP_CHAT},${GROUP_CHAT - 1}` },
    });
    askInGroup("shop");
    await waitForQr(h, qrOf(SHOP).currentQrPayload(), GROUP_CHAT);
  };

  it("waits its turn in that chat, polling nothing, while other chats start at once; it takes the freed place with its full time", async () => {
    await startWithShopLiveInGroup();
    askInGroup("support");
    const queued = await waitForCaption(
      h,
      "support is waiting its turn in this chat: next in line",
      GROUP_CHAT,
    );
    expect(queued.caption).toContain("enough to keep 1 live QR codes fresh");
    expect(queued.caption).toContain("In a private chat with me there is no such wait.");
    expect(buttonsOf(queued)).toEqual(["✖️ Cancel"]);
    expect(await scanPng(queued.photo as Buffer)).toBeNull();

    // A private chat is not held up by the full group.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr ops" });
    await waitForQr(h, qrOf(OPS).currentQrPayload(), OPERATOR);

    await pause(3_000);
    expect(h.greenApi.callsOf("qr", SUPPORT.idInstance)).toHaveLength(0);

    qrOf(SHOP).authorize();
    await waitForCaption(h, "shop is authorized", GROUP_CHAT);
    const live = await waitForQr(h, qrOf(SUPPORT).currentQrPayload(), GROUP_CHAT);
    expect(live.messageId).toBe(queued.messageId);
    expect(live.caption).toMatch(/⏱ (1:00|0:59) left/);
    expect(photoMessages(h, GROUP_CHAT)).toHaveLength(2);
  });

  it("Cancel while waiting in the chat's line ends it, and the line moves on without it", async () => {
    await startWithShopLiveInGroup();
    askInGroup("support");
    const support = await waitForCaption(h, "support is waiting its turn in this chat", GROUP_CHAT);
    askInGroup("ops");
    const ops = await waitForCaption(
      h,
      "ops is waiting its turn in this chat: number 2",
      GROUP_CHAT,
    );

    const callbackId = press(h, support, "✖️ Cancel");
    const cancelled = await waitForCaption(h, "QR session for support cancelled", GROUP_CHAT);
    expect(cancelled.messageId).toBe(support.messageId);
    expect(buttonsOf(cancelled)).toEqual(["📷 New QR"]);
    const answer = await eventually(
      () => h.telegram.answeredCallback(callbackId),
      "the Cancel press to be answered",
    );
    expect(answer.params.text).toMatch(/^Cancell/);

    qrOf(SHOP).authorize();
    const live = await waitForQr(h, qrOf(OPS).currentQrPayload(), GROUP_CHAT);
    expect(live.messageId).toBe(ops.messageId);
    expect(h.greenApi.callsOf("qr", SUPPORT.idInstance)).toHaveLength(0);
  });

  it("moved into another full group, a waiting session says so there and waits in that group's line", async () => {
    const OTHER_GROUP = GROUP_CHAT - 1;
    await startWithShopLiveInGroup();
    h.telegram.userSends({
      chatId: OTHER_GROUP,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr ops",
    });
    await waitForQr(h, qrOf(OPS).currentQrPayload(), OTHER_GROUP);
    askInGroup("support");
    await waitForCaption(h, "support is waiting its turn in this chat", GROUP_CHAT);

    h.telegram.userSends({
      chatId: OTHER_GROUP,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr support",
    });
    const there = await waitForCaption(
      h,
      "support is waiting its turn in this chat: next in line",
      OTHER_GROUP,
    );
    await waitForCaption(h, "The QR session for support moved to a newer message", GROUP_CHAT);
    // The first group's place is free again: shop ends, nothing takes its place there.
    qrOf(SHOP).authorize();
    await waitForCaption(h, "shop is authorized", GROUP_CHAT);
    await pause(1_000);
    expect(h.greenApi.callsOf("qr", SUPPORT.idInstance)).toHaveLength(0);

    qrOf(OPS).authorize();
    const live = await waitForQr(h, qrOf(SUPPORT).currentQrPayload(), OTHER_GROUP);
    expect(live.messageId).toBe(there.messageId);
  });

  it("the same /qr in a private chat moves a session waiting in the group's line there, and it starts at once", async () => {
    await startWithShopLiveInGroup();
    askInGroup("support");
    const queued = await waitForCaption(h, "support is waiting its turn in this chat", GROUP_CHAT);

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    const live = await waitForQr(h, qrOf(SUPPORT).currentQrPayload(), OPERATOR);
    expect(live.caption).toMatch(/⏱ (1:00|0:59) left/);
    await waitForCaption(h, "The QR session for support moved to a newer message", GROUP_CHAT);
    expect(
      photoMessages(h, GROUP_CHAT).find((m) => m.messageId === queued.messageId)?.caption,
    ).toContain("moved");
    // The private chat never showed a "waiting" notice: it went straight to the QR.
    const versions = photoMessages(h, OPERATOR)[0]?.history ?? [];
    expect(versions.some((v) => v.caption?.includes("waiting its turn"))).toBe(false);
  });
});

// Everything the bot sends to one chat (replies, QR edits, final cards) shares one budget there,
// in Redis, so the bot stays under Telegram's per-chat limits instead of collecting 429s.
describe("per-chat pacing of sends and edits", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("spaces every call into a group by the group's interval, while a private chat goes at its own pace", async () => {
    h = await startHarness({
      qrRotateMs: 250,
      env: { TELEGRAM_GROUP_SENDS_PER_MINUTE: "60", TELEGRAM_PRIVATE_SENDS_PER_SECOND: "10" },
    });
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr shop",
    });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    // Its QR rotates every 250 ms, faster than the group's pace: any of shop's QRs will do.
    await eventually(async () => {
      for (const message of photoMessages(h, GROUP_CHAT)) {
        const scanned = message.photo && (await scanPng(message.photo));
        if (scanned && scanned.includes(SHOP.idInstance)) return true;
      }
      return false;
    }, "one of shop's QRs in the group");
    await pause(5_000);

    const sendsTo = (chatId: number) =>
      h.telegram.calls
        .filter((c) => c.params.chat_id === chatId && /^(send|edit)/.test(c.method))
        .map((c) => c.at);
    const group = sendsTo(GROUP_CHAT);
    const gaps = group.slice(1).map((at, i) => at - (group[i] as number));
    expect(group.length).toBeGreaterThanOrEqual(4);
    // 60 a minute: one a second. Slots are kept in Redis; a busy machine may delay one call's
    // trip from its slot to the fake by a few hundred ms, never bring the calls closer on average.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    const span = (group.at(-1) as number) - (group[0] as number);
    expect(span).toBeGreaterThanOrEqual((group.length - 1) * 1000 - 300);
    // The private chat's QR rotates every 250 ms too, and its edits are not held to the group's pace.
    expect(sendsTo(OPERATOR).length).toBeGreaterThan(group.length * 2);
    expect(h.telegram.calls.filter((c) => c.errorCode === 429)).toHaveLength(0);
  });
});

describe("ChatSlots: the live QRs of one chat, in Redis", () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.disconnect());
  const slots = () => new ChatSlots(redis, { prefix: uniquePrefix("chat-slots"), perGroup: 2 });

  it("admits up to the limit, then keeps a first-come-first-served line that moves as places free", async () => {
    const s = slots();
    expect(await s.hold(-1, "a", 10_000)).toBe(0);
    expect(await s.hold(-1, "b", 10_000)).toBe(0);
    expect(await s.hold(-1, "c", 10_000)).toBe(1);
    expect(await s.hold(-1, "d", 10_000)).toBe(2);
    // Asking again keeps one's place; a later arrival does not jump the line.
    expect(await s.hold(-1, "d", 10_000)).toBe(2);
    await s.release(-1, "a");
    expect(await s.hold(-1, "d", 10_000)).toBe(1);
    expect(await s.hold(-1, "c", 10_000)).toBe(0);
    expect(await s.hold(-1, "d", 10_000)).toBe(1);
    // Another chat has places of its own.
    expect(await s.hold(-2, "e", 10_000)).toBe(0);
  });

  it("lets the places of sessions that stopped renewing lapse, and leaves private chats unlimited", async () => {
    const s = slots();
    const now = Date.now();
    expect(await s.hold(-1, "a", 1_000, { now })).toBe(0);
    expect(await s.hold(-1, "b", 1_000, { now })).toBe(0);
    expect(await s.hold(-1, "c", 1_000, { now })).toBe(1);
    // "a" and "b" died; "c" renews and is admitted once their places have lapsed.
    expect(await s.hold(-1, "c", 1_000, { now: now + 1_500 })).toBe(0);
    expect(s.capacityOf(42)).toBeUndefined();
    for (const id of ["p", "q", "r"]) expect(await s.hold(42, id, 1_000)).toBe(0);
  });

  it("admits a session that already shows QRs over the limit when it moves into a full chat", async () => {
    const s = slots();
    await s.hold(-1, "a", 10_000);
    await s.hold(-1, "b", 10_000);
    expect(await s.hold(-1, "moved", 10_000, { force: true })).toBe(0);
    // Three live for two places: two must free before "c" may go.
    expect(await s.hold(-1, "c", 10_000)).toBe(2);
  });
});
