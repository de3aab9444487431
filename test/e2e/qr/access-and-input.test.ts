import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeQrCallback } from "../../../src/telegram/callback-data.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SHOP,
  STRANGER,
  startHarness,
} from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, textMessages, waitForQr } from "../../kit/chat.js";
import { eventually, pause } from "../../kit/wait.js";

const sent = (h: Harness) => [
  ...h.telegram.callsOf("sendMessage"),
  ...h.telegram.callsOf("sendPhoto"),
];

describe("/qr: deny by default, and bad input changes nothing", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
  });
  afterEach(async () => h.close());

  it("ignores a stranger's /qr in a private chat and in a group: no reply, no GREEN-API call", async () => {
    h.telegram.userSends({ chatId: STRANGER, fromId: STRANGER, text: "/qr shop" });
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: STRANGER,
      chatType: "group",
      text: "/qr shop",
    });
    h.telegram.userSends({ chatId: STRANGER, fromId: STRANGER, text: "/qr" });
    await eventually(
      () => h.logLines.filter((line) => line.includes("update denied")).length >= 3,
      "the denials",
    );
    expect(sent(h)).toHaveLength(0);
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("answers a stranger's button press with 'Not allowed.' only, and the session goes on", async () => {
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr shop",
    });
    const live = await waitForQr(
      h,
      h.greenApi.instance(SHOP.idInstance).currentQrPayload(),
      GROUP_CHAT,
    );
    const logoutsBefore = h.greenApi.callsOf("logout").length;
    for (const action of ["cancel", "logout-yes", "new"] as const) {
      const { callbackQueryId } = h.telegram.userPresses({
        chatId: GROUP_CHAT,
        fromId: STRANGER,
        messageId: live.messageId,
        data: encodeQrCallback({ action, instance: "shop" }),
      });
      const answer = await eventually(
        () => h.telegram.answeredCallback(callbackQueryId),
        "the answer",
      );
      expect(answer.params.text).toBe("Not allowed.");
    }
    await pause(400);
    expect(h.greenApi.callsOf("logout").length).toBe(logoutsBefore);
    const still = h.telegram.message(GROUP_CHAT, live.messageId);
    expect(still?.caption).toContain("Scan to link shop");
    expect(h.telegram.calls.some((call) => JSON.stringify(call.params).includes("support"))).toBe(
      false,
    );
  });

  it("asks which instance when none is named, with one button each, as /code does", async () => {
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr" });
    const reply = await eventually(() => textMessages(h)[0], "the question");
    expect(reply.text).toBe("📷 QR code for which instance?");
    expect(buttonsOf(reply)).toEqual(["shop", "support"]);
    expect(photoMessages(h)).toHaveLength(0);
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("answers an unknown instance briefly", async () => {
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr nope" });
    const reply = await eventually(() => textMessages(h)[0], "the reply");
    expect(reply.text).toMatch(/^Unknown instance “nope”\. Known: shop, support$/);
    expect(photoMessages(h)).toHaveLength(0);
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("answers a 5000-character argument with a short reply that does not echo it", async () => {
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: `/qr ${"x".repeat(5000)}` });
    const reply = await eventually(() => textMessages(h)[0], "the reply");
    expect(reply.text?.length).toBeLessThan(120);
    expect(reply.text).toContain("Unknown instance");
    expect(photoMessages(h)).toHaveLength(0);
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("answers a tampered button with 'no longer valid' and changes nothing", async () => {
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    for (const data of ["qr:cancel:nope", "qr:explode:shop", "qr:cancel:shop:x", "\u0000garbage"]) {
      const { callbackQueryId } = h.telegram.userPresses({
        chatId: OPERATOR,
        fromId: OPERATOR,
        messageId: live.messageId,
        data,
      });
      const answer = await eventually(
        () => h.telegram.answeredCallback(callbackQueryId),
        "the answer",
      );
      expect(answer.params.text).toBe("This button is no longer valid.");
    }
    expect(h.telegram.message(OPERATOR, live.messageId)?.caption).toContain("Scan to link shop");
  });
});
