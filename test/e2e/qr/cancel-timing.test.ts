// Split from end-states.test.ts: the one end whose assertion is a bound in time ("no qr call
// later than one poll interval after Cancel"), so it runs one at a time (vitest.config.ts) while
// the other ends run beside other files.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import { buttonsOf, press, waitForCaption, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { pause } from "../../kit/wait.js";

describe("/qr: Cancel ends the session within one poll interval", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { QR_TIMEOUT_MS: "5000" } });
  });
  afterEach(async () => h.close());

  const ask = (text = "/qr shop") =>
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });
  const shop = () => h.greenApi.instance(SHOP.idInstance);

  it("Cancel stops polling within one poll interval and says so", async () => {
    ask();
    const live = await waitForQr(h, shop().currentQrPayload());
    const callbackId = press(h, live, "✖️ Cancel");
    const cancelled = await waitForCaption(h, "cancelled");
    // The cancel is recorded before the press is answered; one poll interval (100 ms) later at most
    // one request already under way may still land, none after.
    const answeredAt = h.telegram.answeredCallback(callbackId)?.at ?? 0;
    expect(answeredAt).toBeGreaterThan(0);
    expect(await scanPng(cancelled.photo as Buffer)).toBeNull();
    expect(buttonsOf(cancelled)).toEqual(["📷 New QR"]);

    // A request already under way may still land: one poll interval later, or once its turn comes
    // under GREEN-API's 3 qr/s (the shared limiter books one every ~400 ms). None after that.
    await pause(800);
    const qrCalls = h.greenApi.callsOf("qr");
    expect(qrCalls.filter((call) => call.at > answeredAt + 150).length).toBeLessThanOrEqual(1);
    expect(qrCalls.filter((call) => call.at > answeredAt + 150 + 400)).toHaveLength(0);
  });
});
