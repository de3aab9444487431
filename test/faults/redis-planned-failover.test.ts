import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../kit/app-harness.js";
import { OPERATOR } from "../kit/app-harness.js";
import { photoMessages, sendUntilAnswered, textMessages } from "../kit/chat.js";
import type { SentinelSetup } from "../kit/sentinel.js";
import { eventually } from "../kit/wait.js";
import {
  AFTER_PROMOTION_MS,
  LOCK_MS,
  MUTED,
  PROMOTION_TIMEOUT_MS,
  qrOnScreen,
  startLiveSession,
} from "./sentinel-session.js";

describe("Redis through Sentinel: a planned failover (SENTINEL FAILOVER) mid-session", () => {
  const track: { setup?: SentinelSetup; harness?: Harness } = {};
  afterEach(async () => {
    await track.harness?.close();
    await track.setup?.close();
  });

  it("ends with everything on the new primary once Sentinel demotes the old one", async () => {
    const { sentinels, harness, shop, live } = await startLiveSession(track);
    const startedAt = Date.now();
    await sentinels.failover();
    const promotedAt = await sentinels.waitForPromotion(PROMOTION_TIMEOUT_MS);
    // The old primary stays up; Sentinel turns it into a replica some seconds later and
    // disconnects its clients, which then ask the Sentinels again.
    const demotedAt = await sentinels.waitForRole(sentinels.primary, "slave", PROMOTION_TIMEOUT_MS);
    const next = shop.rotateQr();
    const shown = await qrOnScreen(harness, next, 2 * LOCK_MS + AFTER_PROMOTION_MS);
    const shownAt = Date.now();

    // A write after the demotion lands on the new primary, and /status reads both mutes there.
    // Right after the demotion the bot's own connection may still be reconnecting: then it says
    // so ("temporarily unavailable"), and the operator sends the command again.
    await sendUntilAnswered(
      harness,
      "/mute support 1h",
      () => textMessages(harness).find((m) => m.text?.includes("muted for 1 h")),
      "muted for 1 h",
    );
    const promoted = new Redis(sentinels.replica.url);
    try {
      expect(await promoted.info("replication")).toMatch(/role:master/);
      const mutes = await promoted.hkeys(`${harness.env.REDIS_PREFIX}:alerts:mutes`);
      expect(mutes.sort()).toEqual(["shop", "support"]);
    } finally {
      promoted.disconnect();
    }
    const before = textMessages(harness).length;
    harness.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const status = await eventually(
      () => textMessages(harness).slice(before)[0],
      "an answer to /status",
      AFTER_PROMOTION_MS,
    );
    expect(status.text?.split(MUTED)).toHaveLength(3);
    console.info(
      `Redis planned failover (SESSION_LOCK_MS=${LOCK_MS}): ${JSON.stringify({
        failoverToPromotionMs: promotedAt - startedAt,
        failoverToDemotionMs: demotedAt - startedAt,
        demotionToNextQrMs: shownAt - demotedAt,
      })}`,
    );

    // The session went on on its own message; nothing was sent twice.
    expect(shown.messageId).toBe(live.messageId);
    expect(photoMessages(harness)).toHaveLength(1);
    expect(harness.telegram.callsOf("sendPhoto")).toHaveLength(1);
    expect(harness.logLines.filter((line) => line.includes("unhandled bot error"))).toEqual([]);
  }, 60_000);
});
