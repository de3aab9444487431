import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { photoMessages } from "../kit/chat.js";
import { eventually, pause } from "../kit/wait.js";

/** The most calls in any sliding second, as GREEN-API (and the fake) count them. */
const mostInASecond = (times: number[]) =>
  Math.max(0, ...times.map((t) => times.filter((u) => u > t - 1_000 && u <= t).length));

// Phase-locked polling asks for the QR at GREEN-API's 3/s around each rotation, through the one
// shared limiter, while the state watcher checks the same instance in the background: the fake
// counts every call in its per-second window, and answers 429 over GREEN-API's limits.
describe("QR polls and background checks under GREEN-API's per-instance limits", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("never exceeds 3 qr calls a second, takes no 429, and the QR keeps up beside the watcher's checks", async () => {
    h = await startHarness({
      qrRotateMs: 2_500,
      env: {
        // Polls only: the push socket (QR_SOURCE=auto, the default) would leave little to count.
        QR_SOURCE: "poll",
        QR_POLL_SCHEDULE: "phase-locked",
        QR_POLL_INTERVAL_MS: "1000",
        STATE_POLL_INTERVAL_MS: "1000",
      },
    });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const shown = () => photoMessages(h)[0]?.history.length ?? 0;
    await eventually(() => shown() >= 2, "the first QR", 20_000);
    await pause(9_000);
    // The QR went on rotating on screen all along: the background checks held up no poll.
    await eventually(() => shown() >= 4, "two more QRs on the message", 20_000);

    const qr = h.greenApi.callsOf("qr", SHOP.idInstance);
    expect(qr.filter((c) => c.status === 429).map((c) => c.at)).toEqual([]);
    expect(qr.length).toBeGreaterThan(8);
    expect(mostInASecond(qr.map((c) => c.at))).toBeLessThanOrEqual(3);
    // The watcher checked the same instance all along (its own limiter key: it takes no qr turn).
    expect(h.greenApi.callsOf("getStateInstance", SHOP.idInstance).length).toBeGreaterThan(3);
  });
});
