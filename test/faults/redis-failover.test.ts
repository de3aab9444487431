import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../kit/app-harness.js";
import { OPERATOR } from "../kit/app-harness.js";
import { photoMessages, textMessages } from "../kit/chat.js";
import type { SentinelSetup } from "../kit/sentinel.js";
import { eventually } from "../kit/wait.js";
import {
  AFTER_PROMOTION_MS,
  healthz,
  LOCK_MS,
  MUTED,
  PASSWORD,
  PROMOTION_TIMEOUT_MS,
  qrOnScreen,
  SENTINEL_PASSWORD,
  startLiveSession,
} from "./sentinel-session.js";

const UNAVAILABLE = "⚠️ greenlight is temporarily unavailable, try again in a moment.";

describe("Redis through Sentinel: kill -9 of the primary mid-session", () => {
  const track: { setup?: SentinelSetup; harness?: Harness } = {};
  // Closing after a failover waits for BullMQ's connections to settle on the new primary.
  afterEach(async () => {
    await track.harness?.close();
    await track.setup?.close();
  }, 60_000);

  it("follows the promotion: the live QR goes on on its own message, /status is answered, nothing is duplicated", async () => {
    const { sentinels, harness, shop, live } = await startLiveSession(track);

    await sentinels.killPrimary();
    const killedAt = Date.now();
    // GREEN-API serves a new QR right away: it reaches the screen once greenlight has Redis back.
    const next = shop.rotateQr();
    const promoted = sentinels.waitForPromotion(PROMOTION_TIMEOUT_MS);
    const onScreen = qrOnScreen(
      harness,
      next,
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
    expect(photoMessages(harness)).toHaveLength(1);
    expect(harness.telegram.callsOf("sendPhoto")).toHaveLength(1);
    expect(harness.telegram.message(OPERATOR, live.messageId)?.caption).toContain(
      "Scan to link shop",
    );
    // Within a few seconds of the promotion; the QR after the lease lapses or the stalled check.
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
    expect(photoMessages(harness)).toHaveLength(1);
    expect(harness.logLines.filter((line) => line.includes("unhandled bot error"))).toEqual([]);
    const log = harness.logLines.join("\n");
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(SENTINEL_PASSWORD);
  }, 60_000);
});
