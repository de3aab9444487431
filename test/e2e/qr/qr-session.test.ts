import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually, pause } from "../../kit/wait.js";

describe("/qr: one live QR message until the instance logs in", () => {
  let h: Harness;
  beforeEach(async () => {
    // Rotation is driven by the test (rotateQr) so that edits can be counted per rotation.
    h = await startHarness({ qrRotateMs: 3_600_000 });
  });
  afterEach(async () => h.close());

  it("edits the same message once per QR rotation, each edit scanning to the current QR, then shows authorized", async () => {
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });

    const payloads = [shop.currentQrPayload()];
    const first = await waitForQr(h, payloads[0] as string);
    expect(first.caption).toContain("Scan to link shop");
    expect(first.caption).toContain("Linked devices");
    expect(first.caption).toMatch(/\d+:\d\d left/);
    expect(buttonsOf(first)).toEqual(["✖️ Cancel"]);

    for (let rotation = 0; rotation < 2; rotation++) {
      await pause(500); // several polls of an unchanged QR: no edit expected
      payloads.push(shop.rotateQr());
      await waitForQr(h, payloads.at(-1) as string);
    }
    await pause(500);

    const message = photoMessages(h)[0];
    expect(photoMessages(h)).toHaveLength(1);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(1);
    const qrEdits = h.telegram.callsOf("editMessageMedia");
    expect(qrEdits).toHaveLength(3);
    expect(qrEdits.every((call) => Number(call.params.message_id) === message?.messageId)).toBe(
      true,
    );
    const shown = await Promise.all(
      (message?.history ?? []).slice(1).map((entry) => scanPng(entry.photo as Buffer)),
    );
    expect(shown).toEqual(payloads);

    shop.authorize("79001234567");
    const done = await eventually(() => {
      const current = photoMessages(h)[0];
      return current?.caption?.includes("authorized") ? current : undefined;
    }, "the authorized status");
    // Then the proof of closure (issue #13): who linked it, when, and GREEN-API's empty queue.
    expect(done.caption).toMatch(
      /^✅ shop is authorized as \+7 900 123-45-67\.\n👤 Linked by Tester at \d\d:\d\d \S+\.\n📭 No messages were waiting in GREEN-API's queue\.$/,
    );
    expect(await scanPng(done.photo as Buffer)).toBeNull();
    expect(buttonsOf(done)).toEqual([]);
    expect(done.messageId).toBe(message?.messageId);

    const qrCalls = h.greenApi.callsOf("qr", SHOP.idInstance).length;
    await pause(600);
    expect(h.greenApi.callsOf("qr", SHOP.idInstance).length).toBe(qrCalls);
    expect(photoMessages(h)).toHaveLength(1);
  });

  it("answers /qr@botname in a group and keeps the session there", async () => {
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({
      chatId: -100500,
      fromId: OPERATOR,
      chatType: "supergroup",
      text: "/qr@greenlight_test_bot shop",
    });
    const live = await waitForQr(h, shop.currentQrPayload(), -100500);
    expect(photoMessages(h, OPERATOR)).toHaveLength(0);
    // The number that linked it is masked there: a group is not the operator's private chat.
    shop.authorize("79001234567");
    await eventually(
      () =>
        h.telegram.message(-100500, live.messageId)?.caption?.split("\n")[0] ===
        "✅ shop is authorized as +7 900 ···-··-67.",
      "the masked number in the group",
    );
    expect(h.logLines.join("\n")).not.toContain("79001234567");
  });
});
