import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeGreenApi } from "../fakes/fake-green-api.js";
import {
  DOCUMENTED_NOTIFICATIONS,
  quotaExceeded,
  stateInstanceChanged,
} from "../fakes/green-api-notifications.js";
import {
  alertsIn,
  firstRunDone,
  httpUrl,
  postWebhook,
  startWatching,
  WEBHOOK_SECRET,
} from "../e2e/alerts/kit.js";
import { type Harness, OPERATOR, SHOP } from "../kit/app-harness.js";
import { textMessages, waitForText } from "../kit/chat.js";
import { eventually, pause } from "../kit/wait.js";

const SHOP_ID = Number(SHOP.idInstance);

/** The fake GREEN-API posts its notifications to the app, retrying a non-200 every 200 ms. */
async function deliveringWebhooks(): Promise<Harness> {
  const h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
  await firstRunDone(h);
  h.greenApi.setWebhook({
    url: httpUrl(h, "/green-api/webhook"),
    token: WEBHOOK_SECRET,
    retryMs: 200,
  });
  return h;
}

describe("GREEN-API webhook: 200 for every authenticated notification (no 24-hour retry loop)", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("answers every documented notification type 200; only stateInstanceChanged, quotaExceeded and outgoingMessageReceived (the phone's last use) do anything; nothing is redelivered", async () => {
    h = await deliveringWebhooks();
    const polls = h.greenApi.callsOf("getStateInstance").length;
    const others = Object.entries(DOCUMENTED_NOTIFICATIONS).filter(
      ([type]) =>
        !["stateInstanceChanged", "quotaExceeded", "outgoingMessageReceived"].includes(type),
    );
    for (const [, example] of others) h.greenApi.sendWebhook(SHOP_ID, example(SHOP_ID));
    expect(await h.greenApi.webhooks.idle()).toBe(true);
    expect(h.greenApi.webhooks.attempts.map((a) => a.status)).toEqual(others.map(() => 200));
    await pause(300);
    expect(alertsIn(h)).toEqual([]);

    // The fake GREEN-API reports a logout by itself, as the real one does: an alert at once.
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h)[0], "the alert", 5_000);
    expect(alert.text).toMatch(/^🔴 shop: logged out since/);
    expect(h.greenApi.callsOf("getStateInstance")).toHaveLength(polls);

    // quotaExceeded's documented example has no timestamp: kept, and shown in /status.
    h.greenApi.sendWebhook(SHOP_ID, quotaExceeded(SHOP_ID));
    expect(await h.greenApi.webhooks.idle()).toBe(true);
    expect(h.greenApi.webhooks.redeliveries).toBe(0);
    expect(h.greenApi.webhooks.refusals).toBe(0);
    expect(h.greenApi.webhooks.attempts.every((a) => a.status === 200)).toBe(true);

    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    expect(metrics).toContain(
      `greenlight_webhooks_ignored_total{reason="other-type"} ${others.length}`,
    );
  });

  it("keeps a quotaExceeded notification per instance with its time and shows it in /status, in English and Russian", async () => {
    h = await deliveringWebhooks();
    h.greenApi.sendWebhook(SHOP_ID, quotaExceeded(SHOP_ID));
    expect(await h.greenApi.webhooks.idle()).toBe(true);
    const key = `${h.config.env.REDIS_PREFIX}:green-api:quota:shop`;
    await eventually(async () => {
      const { Redis } = await import("ioredis");
      const redis = new Redis(h.env.REDIS_URL as string);
      try {
        return (await redis.get(key)) !== null;
      } finally {
        redis.disconnect();
      }
    }, "the stored quota notice");

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
    const detail = await waitForText(h, "Recent states:");
    expect(detail.text).toMatch(
      /📉 GREEN-API said at \d{4}-\d\d-\d\d \d\d:\d\d UTC: quota exceeded \(correspondents 3\/3, CORRESPONDENTS_QUOTA_EXCEEDED\)/,
    );
    // The description lists customers' numbers: never shown.
    expect(detail.text).not.toContain("10001234560");

    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/status",
      languageCode: "ru",
    });
    const list = await waitForText(h, "Инстансы");
    expect(list.text).toContain("📉 GREEN-API сообщил в");
    expect(list.text).toContain("квота превышена (correspondents 3/3");
    // Only for that instance.
    expect(list.text?.match(/📉/gu)).toHaveLength(1);
  });

  it("answers 200 to authenticated bodies it cannot use (unknown instance, a state that is no string, stale, not JSON), counting each by reason; 401 and 413 only for a wrong secret and an oversized body", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    await firstRunDone(h);
    const down = stateInstanceChanged(SHOP_ID);
    const cases: Array<[unknown, string]> = [
      [stateInstanceChanged(9_999_999), "unknown-instance"],
      // Any string is a state (an undocumented one is shown as such); a number is no state.
      [{ ...down, stateInstance: 42 }, "unknown-state"],
      [{ ...down, timestamp: Math.floor(Date.now() / 1000) - 3600 }, "stale"],
      ["{not json", "not-json"],
      [{ typeWebhook: "stateInstanceChanged" }, "not-a-notification"],
      [{ ...quotaExceeded(SHOP_ID), quotaData: "lots" }, "bad-quota-data"],
    ];
    for (const [body] of cases) expect((await postWebhook(h, body)).status).toBe(200);
    // idInstance as a string is read too.
    const asString = {
      ...down,
      instanceData: { ...down.instanceData, idInstance: SHOP.idInstance },
    };
    expect((await postWebhook(h, asString)).status).toBe(200);
    await eventually(() => alertsIn(h)[0], "the alert from the string idInstance", 5_000);

    expect((await postWebhook(h, down, "Bearer wrong-secret-0123456789abcdef")).status).toBe(401);
    expect((await postWebhook(h, down, null)).status).toBe(401);
    expect((await postWebhook(h, "x".repeat(300_000))).status).toBe(413);

    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    for (const [, reason] of cases) {
      expect(metrics).toContain(`greenlight_webhooks_ignored_total{reason="${reason}"} 1`);
    }
    const ignored = h.logLines.filter((line) => line.includes("webhook ignored"));
    expect(ignored).toHaveLength(cases.length);
    expect(ignored.every((line) => line.includes('"level":20'))).toBe(true);
    expect(h.logLines.filter((line) => line.includes("webhook refused"))).toHaveLength(3);
    expect(h.logLines.some((line) => line.includes(WEBHOOK_SECRET))).toBe(false);
    expect(textMessages(h).filter((m) => m.text?.includes("exploded"))).toEqual([]);
  });
});

describe("the fake GREEN-API delivers webhooks as the real one does", () => {
  it("sends `Authorization: Bearer <webhookUrlToken>`, resends a refused notification after the retry interval, and counts it", async () => {
    const seen: Array<{ authorization?: string; body: string }> = [];
    let answers = [500, 200];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ authorization: req.headers.authorization, body });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const fake = await FakeGreenApi.start();
    try {
      fake.addInstance({ idInstance: SHOP_ID, apiTokenInstance: SHOP.apiTokenInstance });
      fake.setWebhook({ url: `http://127.0.0.1:${port}/hook`, token: "hook-token", retryMs: 100 });
      fake.instance(SHOP_ID).state = "authorized";
      fake.sendWebhook(SHOP_ID, quotaExceeded(SHOP_ID));
      expect(await fake.webhooks.idle()).toBe(true);
      expect(seen.map((s) => s.authorization)).toEqual(Array(3).fill("Bearer hook-token"));
      // The refused state notification came again; the quota one waited behind it.
      expect(seen.map((s) => JSON.parse(s.body).typeWebhook)).toEqual([
        "stateInstanceChanged",
        "stateInstanceChanged",
        "quotaExceeded",
      ]);
      expect(fake.webhooks.refusals).toBe(1);
      expect(fake.webhooks.redeliveries).toBe(1);
      answers = [];
    } finally {
      await fake.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
