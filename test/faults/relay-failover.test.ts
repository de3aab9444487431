// Issue #23: the relay answers GREEN-API 200 only once a notification is durably kept, "and it
// survives a Sentinel failover". GREEN-API (the fake's webhook delivery, which sends a refused
// notification again) streams notifications of three instances while `SENTINEL FAILOVER` moves
// the primary; every one must reach the application, in order per instance, byte for byte.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { FakeAppEndpoint, type ReceivedNotification } from "../fakes/fake-app-endpoint.js";
import { relayedMessage, relayedNumberOf } from "../fakes/green-api-notifications.js";
import {
  type Harness,
  SHOP,
  startHarness,
  SUPPORT,
  type TestInstance,
} from "../kit/app-harness.js";
import { SentinelSetup } from "../kit/sentinel.js";
import { eventually } from "../kit/wait.js";
import { documentedInstanceToken } from "../kit/webhook-token.js";
import { httpUrl, WEBHOOK_SECRET } from "../e2e/alerts/kit.js";
import { PASSWORD, PROMOTION_TIMEOUT_MS, SENTINEL_PASSWORD } from "./sentinel-session.js";

const NAME = "greenlight-relay-ha";
const SALES: TestInstance = {
  name: "sales",
  idInstance: "1101000003",
  apiTokenInstance: "salestoken0123456789abcdef0123456789abcdef0123456789",
};
const INSTANCES = [SHOP, SUPPORT, SALES];
/** One notification per instance this often: a steady stream across the failover. */
const STREAM_EVERY_MS = 50;
/** The stream goes on this long after the old primary is demoted (the reconnect included). */
const AFTER_DEMOTION_MS = 1_500;
/** A bound on the stream, should the failover never finish (the waits below fail first). */
const MAX_ROUNDS = 600;

/** The first request of each delivery id, in the order the application got them. */
function firstOfEachDelivery(received: ReceivedNotification[]): ReceivedNotification[] {
  const seen = new Set<string>();
  return received.filter((r) => {
    if (!r.deliveryId || seen.has(r.deliveryId)) return false;
    seen.add(r.deliveryId);
    return true;
  });
}

describe("webhook relay: a Sentinel failover (SENTINEL FAILOVER) mid-stream", () => {
  const track: { setup?: SentinelSetup; harness?: Harness; app?: FakeAppEndpoint } = {};
  afterEach(async () => {
    await track.harness?.close();
    await track.app?.stop();
    await track.setup?.close();
  });

  it(
    "every notification arrives, in order per instance, byte for byte; a refused one comes again and arrives too",
    { timeout: 60_000 },
    async () => {
      const sentinels = await SentinelSetup.start({
        name: NAME,
        password: PASSWORD,
        sentinelPassword: SENTINEL_PASSWORD,
      });
      track.setup = sentinels;
      // A little slow, so that a backlog waits in Redis while the primary moves.
      const app = new FakeAppEndpoint({ delayMs: 3 });
      track.app = app;
      const appUrl = await app.start();
      const h = await startHarness({
        instances: INSTANCES,
        env: {
          // Nothing listens there: a connection that ignored REDIS_SENTINELS would never be ready.
          REDIS_URL: "redis://127.0.0.1:1",
          REDIS_SENTINELS: sentinels.sentinelList,
          REDIS_SENTINEL_NAME: NAME,
          REDIS_PASSWORD: PASSWORD,
          REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
          HTTP_PORT: "0",
          HTTP_HOST: "127.0.0.1",
          WEBHOOK_SECRET,
          WEBHOOK_FORWARD_URL: appUrl,
          FORWARD_TIMEOUT_MS: "2000",
        },
      });
      track.harness = h;
      // GREEN-API posts each instance's notifications with that instance's own token and sends
      // a refused one again after 100 ms (60 s in reality), the later ones waiting behind it.
      const webhook = httpUrl(h, "/green-api/webhook");
      h.greenApi.setWebhook({ url: webhook, token: "unused", retryMs: 100 });
      for (const instance of INSTANCES) {
        h.greenApi.webhooks.configureInstance(instance.idInstance, {
          url: webhook,
          token: documentedInstanceToken(
            h.env.BOT_TOKEN as string,
            WEBHOOK_SECRET,
            instance.idInstance,
          ),
        });
      }

      const sent = new Map<string, string[]>(INSTANCES.map((i) => [i.idInstance, []]));
      const stream = { stop: false, rounds: 0 };
      const streaming = (async () => {
        while (!stream.stop && stream.rounds < MAX_ROUNDS) {
          stream.rounds += 1;
          for (const { idInstance } of INSTANCES) {
            const body = relayedMessage(idInstance, stream.rounds);
            sent.get(idInstance)?.push(body);
            h.greenApi.sendWebhook(idInstance, body);
          }
          await sleep(STREAM_EVERY_MS);
        }
      })();

      try {
        await eventually(() => app.delivered.length >= 30, "the stream under way", 10_000);
        const startedAt = Date.now();
        const beforeFailover = h.greenApi.webhooks.attempts.length;
        await sentinels.failover();
        const promotedAt = await sentinels.waitForPromotion(PROMOTION_TIMEOUT_MS);
        const demotedAt = await sentinels.waitForRole(
          sentinels.primary,
          "slave",
          PROMOTION_TIMEOUT_MS,
        );
        await sleep(AFTER_DEMOTION_MS);
        stream.stop = true;
        await streaming;

        const total = stream.rounds * INSTANCES.length;
        // GREEN-API ends with a 200 for every notification (a refused one was sent again).
        expect(await h.greenApi.webhooks.idle(30_000)).toBe(true);
        const attempts = h.greenApi.webhooks.attempts;
        const accepted = attempts.filter((a) => a.status === 200);
        expect(accepted).toHaveLength(total);
        // The stream really crossed the failover: answers before and after it.
        expect(beforeFailover).toBeGreaterThan(0);
        expect(attempts.some((a) => a.at > demotedAt && a.status === 200)).toBe(true);

        await eventually(
          () => new Set(app.delivered.map((r) => r.deliveryId)).size >= total,
          `all ${total} notifications at the application`,
          20_000,
        ).catch((error: unknown) => {
          // Which ones never came, by instance and number (test bodies, no customer's data).
          const got = new Set(app.delivered.map((r) => r.body.toString("utf8")));
          const missing = [...sent.entries()].flatMap(([id, bodies]) =>
            bodies
              .filter((b) => !got.has(b))
              .map((b) => `${id}#${relayedNumberOf(Buffer.from(b))}`),
          );
          throw new Error(`${String(error)}; missing: ${missing.join(", ")}`);
        });
        for (const { idInstance } of INSTANCES) {
          const ofInstance = firstOfEachDelivery(
            app.delivered.filter((r) => r.idInstance === idInstance),
          );
          expect(ofInstance.map((r) => r.body.toString("utf8"))).toEqual(sent.get(idInstance));
          expect(ofInstance.every((r) => r.contentType === "application/json")).toBe(true);
        }
        // At least once: a repeat carries the delivery id (and the bytes) of its first copy.
        const bodyOf = new Map(firstOfEachDelivery(app.delivered).map((r) => [r.deliveryId, r]));
        for (const r of app.delivered) {
          expect(r.body.equals(bodyOf.get(r.deliveryId)?.body ?? Buffer.alloc(0))).toBe(true);
        }

        const statuses: Record<string, number> = {};
        for (const a of attempts) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        console.info(
          `relay through a Sentinel failover: ${JSON.stringify({
            notifications: total,
            greenApiAnswers: statuses,
            redeliveries: h.greenApi.webhooks.redeliveries,
            duplicatesAtApp: app.delivered.length - total,
            failoverToPromotionMs: promotedAt - startedAt,
            failoverToDemotionMs: demotedAt - startedAt,
          })}`,
        );
        // The refusals during the failover were expected here (the harness fails on them).
        h.greenApi.webhooks.refusals = 0;
        h.greenApi.webhooks.redeliveries = 0;
      } finally {
        stream.stop = true;
        await streaming;
      }
    },
  );
});
