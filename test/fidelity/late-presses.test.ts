import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../kit/app-harness.js";
import { buttonData, waitForCaption, waitForQr, waitForText } from "../kit/chat.js";
import { eventually } from "../kit/wait.js";

const TWO_MINUTES = 120_000;
const TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";

/**
 * Presses that waited in Telegram while the bot was down arrive too old to answer (REAL-API.md):
 * the press still acts, and what came of it shows in the message.
 */
describe("a button pressed while the bot was down still acts when it comes back", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const tooOldAnswers = () =>
    h.telegram.callsOf("answerCallbackQuery").filter((call) => call.description === TOO_OLD);

  it("Cancel pressed 2 minutes before the bot came back cancels the session", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    h.telegram.userPresses({
      chatId: OPERATOR,
      fromId: OPERATOR,
      messageId: live.messageId,
      data: buttonData(live, "✖️ Cancel"),
      ageMs: TWO_MINUTES,
    });
    const cancelled = await waitForCaption(h, "cancelled");
    expect(cancelled.messageId).toBe(live.messageId);
    expect(tooOldAnswers()).toHaveLength(1);
    // No apology (it would be one more answer that fails), no error logged.
    expect(h.logLines.some((line) => line.includes("handler failed"))).toBe(false);
    expect(h.telegram.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(h.logLines.some((line) => line.includes("callback query answered too late"))).toBe(true);
  });

  it("Yes on a /reboot confirmation pressed 2 minutes before still reboots and says so", async () => {
    h = await startHarness();
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/reboot shop" });
    const confirm = await waitForText(h, "Reboot shop?");
    h.telegram.userPresses({
      chatId: OPERATOR,
      fromId: OPERATOR,
      messageId: confirm.messageId,
      data: buttonData(confirm, "✅ Yes, reboot"),
      ageMs: TWO_MINUTES,
    });
    await eventually(
      () => h.telegram.message(OPERATOR, confirm.messageId)?.text?.includes("shop is rebooting"),
      "the outcome in the message",
    );
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(1);
    expect(tooOldAnswers()).toHaveLength(1);
  });

  it("Cancel on a session waiting its turn answers the press before the paced edit", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { QR_MAX_SESSIONS: "1" } });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    const queued = await waitForCaption(h, "support is waiting its turn");
    const from = h.telegram.calls.length;
    h.telegram.userPresses({
      chatId: OPERATOR,
      fromId: OPERATOR,
      messageId: queued.messageId,
      data: buttonData(queued, "✖️ Cancel"),
    });
    await waitForCaption(h, "QR session for support cancelled");
    const order = h.telegram.calls
      .slice(from)
      .map((call) => call.method)
      .filter((method) => method === "answerCallbackQuery" || method === "editMessageMedia");
    expect(order[0]).toBe("answerCallbackQuery");
    expect(h.greenApi.callsOf("qr", SUPPORT.idInstance)).toHaveLength(0);
  });
});
