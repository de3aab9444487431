import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { backlogReader } from "../../../src/relay/relay-store.js";
import { FakeAppEndpoint } from "../../fakes/fake-app-endpoint.js";
import { stateInstanceChanged } from "../../fakes/green-api-notifications.js";
import { type Harness, OPERATOR, SHOP, startHarness, SUPPORT } from "../../kit/app-harness.js";
import { textMessages, waitForText } from "../../kit/chat.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";
import { httpUrl, WEBHOOK_SECRET } from "../alerts/kit.js";
import { relayedMessage } from "../../fakes/green-api-notifications.js";
import { instanceToken, pointGreenApiAt } from "./kit.js";

const APP_TOKEN = "app-token-0123456789";

describe("webhook relay: greenlight in front, the application still gets everything", () => {
  let h: Harness | undefined;
  let app: FakeAppEndpoint;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await app.stop();
  });

  async function start(env: Record<string, string>, appOptions = {}) {
    app = new FakeAppEndpoint(appOptions);
    const url = await app.start();
    h = await startHarness({
      env: {
        HTTP_PORT: "0",
        HTTP_HOST: "127.0.0.1",
        WEBHOOK_SECRET,
        WEBHOOK_FORWARD_URL: url,
        WEBHOOK_FORWARD_TOKEN: APP_TOKEN,
        ...env,
      },
    });
    return h;
  }

  it(
    "an application answering 500 for a while gets every notification afterwards, in order, byte for byte, with an alert and a recovery message",
    { timeout: 30_000 },
    async () => {
      const harness = await start({ FORWARD_ALERT_AFTER_MS: "0" });
      app.fail(2);
      pointGreenApiAt(harness, SHOP);
      const sent = Array.from({ length: 12 }, (_, i) => relayedMessage(SHOP.idInstance, i + 1));
      for (const body of sent) harness.greenApi.sendWebhook(SHOP.idInstance, body);
      // A state change of the same instance goes to the application too (every type does).
      harness.greenApi.sendWebhook(
        SHOP.idInstance,
        JSON.stringify(stateInstanceChanged(Number(SHOP.idInstance), "authorized")),
      );
      // GREEN-API got a 200 for each at once: nothing to send again.
      expect(await harness.greenApi.webhooks.idle(5_000)).toBe(true);
      await eventually(() => app.delivered.length === 13, "13 notifications delivered", 20_000);

      const delivered = app.delivered;
      expect(delivered.slice(0, 12).map((r) => r.body.toString("utf8"))).toEqual(sent);
      expect(delivered[12]?.body.toString("utf8")).toContain('"stateInstanceChanged"');
      expect(delivered.every((r) => r.authorization === `Bearer ${APP_TOKEN}`)).toBe(true);
      expect(delivered.every((r) => r.contentType === "application/json")).toBe(true);
      expect(delivered.every((r) => r.idInstance === SHOP.idInstance)).toBe(true);
      // The refused tries were of the first notification, under the same delivery id.
      const refused = app.received.filter((r) => r.status === 500);
      expect(refused).toHaveLength(2);
      expect(new Set(refused.map((r) => r.deliveryId))).toEqual(
        new Set([delivered[0]?.deliveryId]),
      );
      expect(new Set(delivered.map((r) => r.deliveryId)).size).toBe(13);

      // The operator heard that the application was failing, then that it recovered.
      const said = await eventually(() => {
        const texts = textMessages(harness, OPERATOR).map((m) => m.text ?? "");
        return texts.some((t) => t.includes("takes notifications again")) && texts;
      }, "the recovery message");
      const failing = said.find((t) => t.includes("refused GREEN-API's notifications"));
      expect(failing).toContain("HTTP 500");
      expect(said.join("\n")).not.toContain("привет");
      // Nothing of a body in the logs either; and once delivered, nothing left in Redis.
      expect(harness.logLines.join("\n")).not.toContain("привет");
      const metrics = await (await fetch(httpUrl(harness, "/metrics"))).text();
      expect(metrics).toContain("greenlight_relay_forwarded_total 13");
      expect(metrics).toContain('greenlight_relay_failed_total{reason="status"} 2');
      expect(metrics).toContain("greenlight_relay_backlog 0");
      expect(metrics).not.toContain(SHOP.idInstance);
    },
  );

  it(
    "a full backlog answers GREEN-API 503 with Retry-After, and its redelivery brings everything in, in order",
    { timeout: 30_000 },
    async () => {
      // A slow application and a backlog of 2: GREEN-API sends faster than it is drained.
      const harness = await start({ FORWARD_QUEUE_MAX: "2" }, { delayMs: 150 });
      pointGreenApiAt(harness, SHOP, 50);
      const sent = Array.from({ length: 10 }, (_, i) => relayedMessage(SHOP.idInstance, i + 1));
      for (const body of sent) harness.greenApi.sendWebhook(SHOP.idInstance, body);
      const direct = await fetch(httpUrl(harness, "/green-api/webhook"), {
        method: "POST",
        headers: {
          authorization: `Bearer ${instanceToken(harness, SUPPORT)}`,
          "content-type": "application/json",
        },
        body: relayedMessage(SUPPORT.idInstance, 1),
      });
      expect(direct.status).toBe(200); // another instance's backlog is its own

      await eventually(() => harness.greenApi.webhooks.refusals > 0, "a 503 to GREEN-API");
      const refused = harness.greenApi.webhooks.attempts.find((a) => a.status !== 200);
      expect(refused).toMatchObject({ status: 503, retryAfter: "60" });
      expect(await harness.greenApi.webhooks.idle(20_000)).toBe(true);
      await eventually(() => app.delivered.length === 11, "every notification delivered", 20_000);
      const shop = app.delivered.filter((r) => r.idInstance === SHOP.idInstance);
      expect(shop.map((r) => r.body.toString("utf8"))).toEqual(sent);
      const metrics = await (await fetch(httpUrl(harness, "/metrics"))).text();
      expect(metrics).toMatch(/greenlight_relay_refused_total\{reason="instance-full"\} [1-9]/);
      // Every refusal of the burst is counted; the log gets one WARN for it, not one each.
      const warnings = harness.logLines.filter((line) => line.includes('"level":40'));
      expect(warnings.filter((line) => /backlog full/.test(line))).toHaveLength(1);
      // The redeliveries were wanted here: the harness's close checks there were none otherwise.
      harness.greenApi.webhooks.refusals = 0;
      harness.greenApi.webhooks.redeliveries = 0;
    },
  );

  it(
    "/status <instance> shows the backlog and how long the application has failed; nothing once it is empty",
    { timeout: 30_000 },
    async () => {
      const harness = await start({});
      app.fail("always");
      pointGreenApiAt(harness, SHOP);
      for (let n = 1; n <= 3; n += 1) {
        harness.greenApi.sendWebhook(SHOP.idInstance, relayedMessage(SHOP.idInstance, n));
      }
      expect(await harness.greenApi.webhooks.idle(5_000)).toBe(true);
      // A second try comes only after the first failure was recorded.
      await eventually(() => app.received.length >= 2, "a second (refused) forward");
      harness.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
      const shown = await waitForText(harness, "3 notification(s) waiting for the application");
      expect(shown.text).toContain("The application has been failing for");
      expect(shown.text).not.toContain("привет");

      app.recover();
      const redis = new Redis(redisUrl());
      try {
        const backlogOf = backlogReader(redis, harness.config.env.REDIS_PREFIX);
        await eventually(
          async () => {
            const backlog = await backlogOf(SHOP.idInstance);
            return backlog.count === 0 && backlog.failingSince === undefined;
          },
          "the backlog delivered and the failure forgotten",
          15_000,
        );
      } finally {
        redis.disconnect();
      }
      expect(app.delivered).toHaveLength(3);
      const before = textMessages(harness, OPERATOR).length;
      harness.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
      const again = await eventually(
        () =>
          textMessages(harness, OPERATOR)
            .slice(before)
            .find((m) => m.text?.includes("📋")),
        "the second /status shop",
      );
      expect(again.text).not.toContain("📮");
    },
  );

  it(
    "an instance's own webhookForwardUrl wins over WEBHOOK_FORWARD_URL; no target at all: answered as before, nothing kept",
    { timeout: 30_000 },
    async () => {
      app = new FakeAppEndpoint();
      const own = new FakeAppEndpoint();
      const ownUrl = await own.start();
      await app.start();
      try {
        h = await startHarness({
          instances: [
            { ...SHOP, webhookForwardUrl: ownUrl, webhookForwardToken: "shop-own" },
            SUPPORT,
          ],
          env: { HTTP_PORT: "0", HTTP_HOST: "127.0.0.1", WEBHOOK_SECRET },
        });
        pointGreenApiAt(h, SHOP);
        // The old shared secret (every customer's webhookUrlToken before 0.3.0) vouches for no
        // instance's application: a body naming the shop under it is answered, never relayed.
        const forged = await fetch(httpUrl(h, "/green-api/webhook"), {
          method: "POST",
          headers: { authorization: `Bearer ${WEBHOOK_SECRET}` },
          body: relayedMessage(SHOP.idInstance, 666),
        });
        expect(forged.status).toBe(200);
        // The shop's own token vouches for the shop only: a body naming support under it is 401.
        const foreign = await fetch(httpUrl(h, "/green-api/webhook"), {
          method: "POST",
          headers: { authorization: `Bearer ${instanceToken(h, SHOP)}` },
          body: relayedMessage(SUPPORT.idInstance, 667),
        });
        expect(foreign.status).toBe(401);
        h.greenApi.sendWebhook(SHOP.idInstance, relayedMessage(SHOP.idInstance, 1));
        const support = await fetch(httpUrl(h, "/green-api/webhook"), {
          method: "POST",
          headers: { authorization: `Bearer ${WEBHOOK_SECRET}` },
          body: relayedMessage(SUPPORT.idInstance, 1),
        });
        expect(support.status).toBe(200);
        await eventually(() => own.delivered.length === 1, "the shop's own application");
        expect(own.delivered[0]?.authorization).toBe("Bearer shop-own");
        expect(own.delivered[0]?.body.toString("utf8")).toBe(relayedMessage(SHOP.idInstance, 1));
        expect(await h.greenApi.webhooks.idle(5_000)).toBe(true);
        // support has no target (no WEBHOOK_FORWARD_URL here): nothing relayed, nothing kept.
        expect(app.received).toHaveLength(0);
        const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
        expect(metrics).toContain("greenlight_relay_backlog 0");
        expect(metrics).toContain("greenlight_relay_forwarded_total 1");
      } finally {
        await own.stop();
      }
    },
  );
});
