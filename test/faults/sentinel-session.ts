// What both Sentinel failover tests start from: a primary, a replica and three sentinels
// (test/kit/sentinel.ts), greenlight on them with passwords, a mute to read back later, and a
// live QR session on screen.
import { expect } from "vitest";
import type { StoredMessage } from "../fakes/fake-telegram.js";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { photoMessages, waitForQr, waitForText } from "../kit/chat.js";
import { scanPng } from "../kit/qr-decode.js";
import { SentinelSetup } from "../kit/sentinel.js";
import { eventually } from "../kit/wait.js";

export const PASSWORD = "primary-secret-4b1d9e";
export const SENTINEL_PASSWORD = "sentinel-secret-77c2aa";
const NAME = "greenlight-ha";
/** Sentinel needs ~1 s to think the primary down, then agrees, elects and promotes. */
export const PROMOTION_TIMEOUT_MS = 20_000;
/** What "answered within a few seconds of the promotion" means here. */
export const AFTER_PROMOTION_MS = 5_000;
/**
 * The session's job fails while Redis is away; its retry (BullMQ's backoff, or its stalled-job
 * check every sixth of SESSION_LOCK_MS, 1 s at least) resumes it: the harness's 3 s here, 6 s by default
 * (README "Reliability").
 */
export const LOCK_MS = 3_000;
export const MUTED = "🔕 alerts muted until";

export interface LiveSession {
  sentinels: SentinelSetup;
  harness: Harness;
  shop: ReturnType<Harness["greenApi"]["instance"]>;
  live: StoredMessage;
}

/** Starts it all; `track` gets each part as soon as it runs, for afterEach to close. */
export async function startLiveSession(track: {
  setup?: SentinelSetup;
  harness?: Harness;
}): Promise<LiveSession> {
  const sentinels = await SentinelSetup.start({
    name: NAME,
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
  });
  track.setup = sentinels;
  const harness = await startHarness({
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
  track.harness = harness;
  const shop = harness.greenApi.instance(SHOP.idInstance);
  harness.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/mute shop 2h" });
  await waitForText(harness, "muted for 2 h");
  harness.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
  const live = await waitForQr(harness, shop.currentQrPayload());
  expect(await healthz(harness)).toMatchObject({ redis: "up", workers: expect.any(Number) });
  expect(await sentinels.primaryPort()).toBe(sentinels.primary.port);
  return { sentinels, harness, shop, live };
}

export async function healthz(h: Harness): Promise<{ redis: string; workers: number | null }> {
  const response = await fetch(`http://127.0.0.1:${h.app.httpPort()}/healthz`, {
    signal: AbortSignal.timeout(3_000),
  });
  return (await response.json()) as { redis: string; workers: number | null };
}

/** Waits for a photo that scans to `payload` (as waitForQr, with a longer timeout). */
export function qrOnScreen(h: Harness, payload: string, timeoutMs: number): Promise<StoredMessage> {
  return eventually(
    async () => {
      for (const message of photoMessages(h)) {
        if (message.photo && (await scanPng(message.photo)) === payload) return message;
      }
      return undefined;
    },
    `a QR message scanning to ${payload}`,
    timeoutMs,
  );
}
