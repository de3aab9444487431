import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { photoMessages, textMessages, waitForQr, waitForText } from "../kit/chat.js";
import { scanPng } from "../kit/qr-decode.js";
import { SentinelSetup } from "../kit/sentinel.js";
import { eventually } from "../kit/wait.js";

const PASSWORD = "primary-secret-4b1d9e";
const SENTINEL_PASSWORD = "sentinel-secret-77c2aa";
const NAME = "greenlight-ha";
/** Sentinel needs ~1 s to think the primary down, then agrees, elects and promotes. */
const PROMOTION_TIMEOUT_MS = 20_000;
/** What "answered within a few seconds of the promotion" means here. */
const AFTER_PROMOTION_MS = 5_000;
/**
 * The session's job fails while Redis is away and its retry waits for the failed attempt's lease
 * to lapse (SESSION_LOCK_MS; the harness's 3 s here, 30 s by default): README "Reliability".
 */
const LOCK_MS = 3_000;
const UNAVAILABLE = "⚠️ greenlight is temporarily unavailable, try again in a moment.";
const MUTED = "🔕 alerts muted until";

async function healthz(h: Harness): Promise<{ redis: string; workers: number | null }> {
  const response = await fetch(`http://127.0.0.1:${h.app.httpPort()}/healthz`, {
    signal: AbortSignal.timeout(3_000),
  });
  return (await response.json()) as { redis: string; workers: number | null };
}

describe("Redis through Sentinel: kill -9 of the primary mid-session", () => {
  let h: Harness | undefined;
  let setup: SentinelSetup | undefined;
  afterEach(async () => {
    await h?.close();
    await setup?.close();
  });

  it("follows the promotion: the live QR goes on on its own message, /status is answered, nothing is duplicated", async () => {
    setup = await SentinelSetup.start({
      name: NAME,
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
    });
    const sentinels = setup;
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: {
        // Nothing listens there: a connection that ignored REDIS_SENTINELS would never be ready.
        REDIS_URL: "redis://127.0.0.1:1",
        REDIS_SENTINELS: sentinels.sentinelList,
        REDIS_SENTINEL_NAME: NAME,
        REDIS_PASSWORD: PASSWORD,
        REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
        HTTP_PORT: "0",
        SESSION_LOCK_MS: String(LOCK_MS),
      },
    });
    const harness = h;
    const shop = h.greenApi.instance(SHOP.idInstance);
    // Something to read back from Redis after the failover: a mute, shown by /status.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/mute shop 2h" });
    await waitForText(h, "muted for 2 h");
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, shop.currentQrPayload());
    expect(await healthz(h)).toMatchObject({ redis: "up", workers: expect.any(Number) });
    expect(await sentinels.primaryPort()).toBe(sentinels.primary.port);

    await sentinels.killPrimary();
    const killedAt = Date.now();
    // GREEN-API serves a new QR right away: it reaches the screen once greenlight has Redis back.
    const next = shop.rotateQr();
    const promoted = sentinels.waitForPromotion(PROMOTION_TIMEOUT_MS);
    const onScreen = eventually(
      async () => {
        for (const message of photoMessages(harness)) {
          if (message.photo && (await scanPng(message.photo)) === next) return message;
        }
        return undefined;
      },
      "the next QR on screen",
      PROMOTION_TIMEOUT_MS + 2 * LOCK_MS + AFTER_PROMOTION_MS,
    ).then((message) => ({ message, at: Date.now() }));
    // An operator keeps asking /status meanwhile: every one is answered (never a hang); the
    // first that shows the mute again was served from Redis, the new primary.
    const statusAnswers = (async () => {
      for (let asked = 0; asked < 30; asked++) {
        const before = textMessages(harness).length;
        const askedAt = Date.now();
        harness.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
        const answer = await eventually(
          () => textMessages(harness).slice(before)[0],
          "an answer to /status",
          AFTER_PROMOTION_MS,
        );
        if (answer.text?.includes(MUTED)) return { at: Date.now(), askedAt };
        expect(answer.text === UNAVAILABLE || answer.text?.includes("Instances")).toBe(true);
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, 500 - (Date.now() - askedAt))),
        );
      }
      throw new Error("no /status showed the mute again within 30 tries");
    })();

    const [promotedAt, shown, status] = await Promise.all([promoted, onScreen, statusAnswers]);
    const figures = {
      killToPromotionMs: promotedAt - killedAt,
      killToNextQrMs: shown.at - killedAt,
      killToStatusMs: status.at - killedAt,
      promotionToNextQrMs: shown.at - promotedAt,
      promotionToStatusMs: status.at - promotedAt,
    };
    console.info(
      `Redis failover (kill -9 of the primary, SESSION_LOCK_MS=${LOCK_MS}): ${JSON.stringify(figures)}`,
    );

    // The session went on where it was: same message, one photo, one sendPhoto.
    expect(shown.message.messageId).toBe(live.messageId);
    expect(photoMessages(h)).toHaveLength(1);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(1);
    expect(h.telegram.message(OPERATOR, live.messageId)?.caption).toContain("Scan to link shop");
    // Within a few seconds of the promotion.
    // The retry waits for the lease to lapse, or for the stalled-job check (every SESSION_LOCK_MS).
    expect(figures.promotionToNextQrMs).toBeLessThan(2 * LOCK_MS + AFTER_PROMOTION_MS);
    expect(status.askedAt - promotedAt).toBeLessThan(AFTER_PROMOTION_MS);
    expect(figures.promotionToStatusMs).toBeLessThan(AFTER_PROMOTION_MS);
    // The HTTP part's connection followed too.
    await eventually(
      async () => (await healthz(harness)).redis === "up",
      "/healthz with Redis up",
      AFTER_PROMOTION_MS,
    );
    expect(await sentinels.primaryPort()).toBe(sentinels.replica.port);
    // The session ends normally on the new primary.
    shop.authorize("79001234567");
    await eventually(
      () => harness.telegram.message(OPERATOR, live.messageId)?.caption?.includes("authorized"),
      "the authorized status on the same message",
    );
    expect(photoMessages(h)).toHaveLength(1);
    expect(h.logLines.filter((line) => line.includes("unhandled bot error"))).toEqual([]);
    const log = h.logLines.join("\n");
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(SENTINEL_PASSWORD);
  }, 60_000);
});
