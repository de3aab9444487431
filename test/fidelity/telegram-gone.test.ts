import { afterEach, describe, expect, it } from "vitest";
import { alertsIn, checksPass, startWatching } from "../e2e/alerts/kit.js";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { photoMessages, waitForQr, waitForText } from "../kit/chat.js";
import { eventually, pause } from "../kit/wait.js";

/** Telegram's answers for a message that is gone for good (REAL-API.md): never retried. */
describe("a message gone for good ends what edits it, quietly", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const edits = (messageId: number) =>
    h.telegram
      .callsOf("editMessageMedia")
      .filter((call) => Number(call.params.message_id) === messageId);

  it("an edit answered MESSAGE_ID_INVALID ends the QR session: no further upload, no more polling", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, shop.currentQrPayload());
    const before = edits(live.messageId).length;

    h.telegram.invalidateMessage(OPERATOR, live.messageId);
    shop.rotateQr();
    await eventually(
      () =>
        edits(live.messageId).some(
          (call) => call.description === "Bad Request: MESSAGE_ID_INVALID",
        ),
      "the refused edit",
    );
    const qrCalls = h.greenApi.callsOf("qr").length;
    // Several rotations and poll intervals later: not one more upload, and GREEN-API is left alone.
    for (let i = 0; i < 3; i++) {
      shop.rotateQr();
      await pause(400);
    }
    expect(edits(live.messageId)).toHaveLength(before + 1);
    expect(h.greenApi.callsOf("qr").length).toBeLessThanOrEqual(qrCalls + 1);
    expect(photoMessages(h)).toHaveLength(1);
    expect(h.logLines.some((line) => line.includes("QR message is gone; ending the session"))).toBe(
      true,
    );
    // The session is over: a new /qr starts a new one at once (no "moved" dance with a dead one).
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    await eventually(() => photoMessages(h).length === 2, "a new session message");
  });

  it("'bot was blocked by the user' ends the QR session as quietly", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, shop.currentQrPayload());
    const before = edits(live.messageId).length;
    h.telegram.userBlocksBot(OPERATOR);
    shop.rotateQr();
    await eventually(
      () => edits(live.messageId).some((call) => call.errorCode === 403),
      "the refused edit",
    );
    shop.rotateQr();
    await pause(800);
    expect(edits(live.messageId)).toHaveLength(before + 1);
  });

  it("a pairing-code message gone before the code is shown starts no watcher", async () => {
    h = await startHarness({ env: { PAIRING_CODE_TTL_MS: "2000", PAIRING_CODE_COOLDOWN_MS: "0" } });
    h.telegram.failNext("editMessageText", {
      errorCode: 400,
      description: "Bad Request: MESSAGE_ID_INVALID",
    });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/code shop +79001234567" });
    await eventually(() => h.greenApi.callsOf("getAuthorizationCode").length === 1, "the code");
    await eventually(
      () => h.logLines.some((line) => line.includes("pairing-code message is gone")),
      "the gone message noticed",
    );
    // Past the code's lifetime: no state polling for it and no "expired" edit of a gone message.
    await pause(2_500);
    expect(h.greenApi.callsOf("getStateInstance")).toHaveLength(1);
    expect(h.telegram.callsOf("editMessageText")).toHaveLength(1);
  });

  it("the alerter sends a fresh alert instead of editing a gone one, and never retries the gone one", async () => {
    h = await startWatching();
    await checksPass(h, SHOP, 1);
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h)[0], "the alert");
    h.telegram.invalidateMessage(OPERATOR, alert.messageId);
    const from = h.telegram.calls.length;

    shop.state = "authorized";
    const fresh = await waitForText(h, "shop recovered");
    expect(fresh.messageId).not.toBe(alert.messageId);
    await checksPass(h, SHOP, 3);
    const editsOfGone = h.telegram.calls
      .slice(from)
      .filter(
        (call) =>
          call.method === "editMessageText" &&
          Number(call.params.chat_id) === OPERATOR &&
          Number(call.params.message_id) === alert.messageId,
      );
    expect(editsOfGone).toHaveLength(1);
    expect(editsOfGone[0]?.description).toBe("Bad Request: MESSAGE_ID_INVALID");
    expect(alertsIn(h).filter((m) => m.text?.includes("recovered"))).toHaveLength(1);
  });
});
