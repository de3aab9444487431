import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../kit/app-harness.js";
import { photoMessages, press, sendUntilAnswered, textMessages, waitForQr } from "../kit/chat.js";
import { scanPng } from "../kit/qr-decode.js";
import { eventually, pause } from "../kit/wait.js";
import { RedisServer } from "../kit/redis-server.js";

const UNAVAILABLE = "⚠️ greenlight is temporarily unavailable, try again in a moment.";
/** The outage; "quickly" for an answer meanwhile. */
const OUTAGE_MS = 20_000;
const QUICKLY_MS = 5_000;

describe("a Redis outage mid-session", () => {
  let h: Harness | undefined;
  let redis: RedisServer | undefined;
  afterEach(async () => {
    await h?.close();
    await redis?.close();
  });

  it("answers 'temporarily unavailable' at once meanwhile, and the session goes on when Redis is back", async () => {
    redis = await RedisServer.start({ persistent: true });
    h = await startHarness({ qrRotateMs: 3_600_000, env: { REDIS_URL: redis.url } });
    const harness = h;
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, shop.currentQrPayload());

    await redis.stop();
    const downAt = Date.now();

    // A command: a short apology, no "asking for a QR…" photo left behind.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    const apology = await eventually(
      () => textMessages(harness).find((m) => m.text === UNAVAILABLE),
      "the apology for /qr",
      QUICKLY_MS,
    );
    expect(apology).toBeDefined();
    // A button: the same words in the button's answer.
    const pressed = press(h, live, "✖️ Cancel");
    const answer = await eventually(
      () => harness.telegram.answeredCallback(pressed),
      "the answer to Cancel",
      QUICKLY_MS,
    );
    expect(answer.params.text).toBe(UNAVAILABLE);
    // /audit needs Redis too.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/audit" });
    await eventually(
      () => textMessages(harness).filter((m) => m.text === UNAVAILABLE).length === 2,
      "the apology for /audit",
      QUICKLY_MS,
    );
    expect(photoMessages(h)).toHaveLength(1);

    // The QR changes while Redis is down; Redis comes back after the outage, on the same port.
    const next = shop.rotateQr();
    await pause(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await redis.restart();

    // Without any restart: the session shows the new QR on its own message, and /qr works again.
    // How soon depends on ioredis's reconnect backoff and a loaded machine: a liveness check,
    // with a generous bound (the QR rotates on a 20 s clock in production).
    const resumed = await waitForQr(h, next, OPERATOR, 25_000);
    expect(resumed.messageId).toBe(live.messageId);
    expect(h.telegram.message(OPERATOR, live.messageId)?.caption).toContain("Scan to link shop");
    // The bot's connection may still be reconnecting: it says so, and the operator asks again.
    const supportQr = h.greenApi.instance(SUPPORT.idInstance).currentQrPayload();
    await sendUntilAnswered(
      harness,
      "/qr support",
      async () => {
        for (const message of photoMessages(harness)) {
          if (message.photo && (await scanPng(message.photo)) === supportQr) return message;
        }
        return undefined;
      },
      "support's QR",
    );
    expect(photoMessages(h)).toHaveLength(2);
    expect(h.logLines.filter((line) => line.includes("unhandled bot error"))).toEqual([]);
  }, 90_000);
});
