import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { buttonsOf, textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import {
  alertsIn,
  checksPass,
  firstRunDone,
  phonesRemembered,
  httpUrl,
  postWebhook,
  startWatching,
  stateNotification,
  WEBHOOK_SECRET,
} from "./kit.js";

describe("GREEN-API webhook: the fast path", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("alerts on a stateInstanceChanged notification at once, before the next poll is due", async () => {
    // Polls are a minute apart: only the webhook can explain an alert within this test.
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    await firstRunDone(h);
    await phonesRemembered(h, 2);
    const polls = h.greenApi.callsOf("getStateInstance").length;

    const answer = await postWebhook(h, stateNotification(SHOP.idInstance, "notAuthorized"));
    expect(answer.status).toBe(200);
    const alert = await eventually(() => alertsIn(h)[0], "the alert", 5_000);
    expect(alert.text).toMatch(/^🔴 shop: logged out since/);
    expect(buttonsOf(alert)).toEqual(["📷 QR", "🔑 Code to +7 900 ···67", "📞 Another number"]);
    expect(h.greenApi.callsOf("getStateInstance")).toHaveLength(polls);

    // GREEN-API then says it is back: the same alert is edited, still without a poll.
    expect((await postWebhook(h, stateNotification(SHOP.idInstance, "authorized"))).status).toBe(
      200,
    );
    await eventually(
      () => h.telegram.message(OPERATOR, alert.messageId)?.text?.startsWith("✅ shop recovered"),
      "the recovery edit",
      5_000,
    );
    expect(h.greenApi.callsOf("getStateInstance")).toHaveLength(polls);
  });

  it("refuses only a wrong secret (401) and an oversized body (413); every authenticated body gets 200, used or not", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    await firstRunDone(h);
    const down = stateNotification(SHOP.idInstance, "notAuthorized");

    expect((await postWebhook(h, down, "Bearer wrong-secret-0123456789abcdef")).status).toBe(401);
    expect((await postWebhook(h, down, null)).status).toBe(401);
    expect((await postWebhook(h, down, `Bearer ${WEBHOOK_SECRET}x`)).status).toBe(401);
    // GREEN-API would resend any other answer every minute for a day (REAL-API.md): 200.
    expect((await postWebhook(h, stateNotification("9999999", "notAuthorized"))).status).toBe(200);
    expect((await postWebhook(h, "{not json")).status).toBe(200);
    expect((await postWebhook(h, { typeWebhook: "stateInstanceChanged" })).status).toBe(200);
    // Any string is a state (an undocumented one alerts as "unknown state"); a number is none.
    expect((await postWebhook(h, { ...down, stateInstance: 42 })).status).toBe(200);
    expect((await postWebhook(h, "x".repeat(300_000))).status).toBe(413);
    const get = await fetch(httpUrl(h, "/green-api/webhook"));
    expect(get.status).toBe(405);
    // Other notification types are acknowledged and ignored.
    const incoming = { ...down, typeWebhook: "incomingMessageReceived", stateInstance: undefined };
    expect((await postWebhook(h, incoming)).status).toBe(200);
    expect(h.logLines.some((line) => line.includes(WEBHOOK_SECRET))).toBe(false);
    expect(h.logLines.filter((line) => line.includes("webhook refused"))).toHaveLength(4);
    expect(h.logLines.filter((line) => line.includes("webhook ignored"))).toHaveLength(5);

    // None of that alerted; the bare secret (GREEN-API's webhookUrlToken as is) is accepted.
    expect(textMessages(h)).toEqual([]);
    expect((await postWebhook(h, down, WEBHOOK_SECRET)).status).toBe(200);
    await eventually(() => alertsIn(h)[0], "the alert", 5_000);
  });
});

describe("/healthz and /metrics", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("/metrics serves Prometheus text with alerts sent and GREEN-API errors by status", async () => {
    h = await startWatching();
    await checksPass(h, SHOP, 1);
    h.greenApi.script(SHOP.idInstance, "getStateInstance", { status: 502 });
    h.greenApi.instance(SUPPORT.idInstance).state = "notAuthorized";
    // One alert in each operator's chat: the counter reaches 2 once both went out.
    const text = await eventually(async () => {
      const answer = await fetch(httpUrl(h, "/metrics"));
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toContain("text/plain");
      const body = await answer.text();
      return body.includes('greenlight_alerts_sent_total{kind="down"} 2') && body;
    }, "both alerts counted in /metrics");
    expect(text).toContain(
      'greenlight_green_api_errors_total{method="getStateInstance",status="502"} 1',
    );
    expect(text).toContain("greenlight_qr_sessions_active 0");
    expect(text).toContain("# TYPE greenlight_qr_rotation_to_edit_seconds histogram");
    expect(text).toContain("greenlight_qr_edits_total 0");
    expect(text).not.toContain(SHOP.apiTokenInstance);
  });
});
