import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import {
  alertsIn,
  firstRunDone,
  httpUrl,
  postWebhook,
  startWatching,
  stateNotification,
  WEBHOOK_SECRET,
} from "../alerts/kit.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";

/**
 * Issue #22, hole 1. WEBHOOK_SECRET is GREEN-API's webhookUrlToken: GREEN-API, any proxy on the
 * way and anyone holding one instance's apiTokenInstance (getSettings) can read it. Telegram's
 * secret must not be computable from it, and one instance's token must not vouch for another's
 * notifications.
 */
let updateId = 1;
function commandUpdate(fromId: number, text: string) {
  return {
    update_id: updateId++,
    message: {
      message_id: 2000 + updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: fromId, type: "private", first_name: "Op" },
      from: { id: fromId, is_bot: false, first_name: "Op", language_code: "en" },
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 0 }],
    },
  };
}

function postTelegram(h: Harness, body: unknown, secret: string | undefined) {
  return fetch(httpUrl(h, "/telegram/webhook"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret === undefined ? {} : { "x-telegram-bot-api-secret-token": secret }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const webhookMode = {
  BOT_MODE: "webhook",
  WEBHOOK_URL: "https://greenlight.example.com",
  STATE_POLL_INTERVAL_MS: "60000",
};

describe("Telegram's webhook secret is not computable from WEBHOOK_SECRET (hole 1)", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("refuses an update signed with sha256('telegram:' + WEBHOOK_SECRET), 0.2.0's secret_token", async () => {
    h = await startWatching({ env: webhookMode });
    const old = createHash("sha256").update(`telegram:${WEBHOOK_SECRET}`).digest("hex");
    const answer = await postTelegram(h, commandUpdate(OPERATOR, "/instances"), old);
    expect(answer.status).toBe(401);
    // The one it set is keyed by BOT_TOKEN, and nothing GREEN-API sees.
    const expected = createHmac("sha256", h.env.BOT_TOKEN ?? "")
      .update("greenlight:telegram-webhook")
      .digest("hex");
    expect(h.telegram.callsOf("setWebhook")[0]?.params.secret_token).toBe(expected);
    expect((await postTelegram(h, commandUpdate(OPERATOR, "/help"), expected)).status).toBe(200);
    await eventually(() => textMessages(h, OPERATOR)[0], "the /help reply");
    expect(textMessages(h, OPERATOR)).toHaveLength(1);
  });

  it("uses TELEGRAM_WEBHOOK_SECRET when set, and works without WEBHOOK_SECRET", async () => {
    const own = "my-own_telegram-secret-0123456789";
    h = await startWatching({
      env: { ...webhookMode, TELEGRAM_WEBHOOK_SECRET: own, WEBHOOK_SECRET: "" },
    });
    expect(h.telegram.callsOf("setWebhook")[0]?.params.secret_token).toBe(own);
    expect((await postTelegram(h, commandUpdate(OPERATOR, "/help"), own)).status).toBe(200);
    // GREEN-API's webhook is off without WEBHOOK_SECRET.
    expect((await postWebhook(h, stateNotification(SHOP.idInstance, "notAuthorized"))).status).toBe(
      404,
    );
  });
});

describe("GREEN-API notifications carry a per-instance token (hole 1)", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("takes shop's token for shop only: another instance's or an unknown instance's notification is refused", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    await firstRunDone(h);
    const shopToken = documentedInstanceToken(
      h.env.BOT_TOKEN ?? "",
      WEBHOOK_SECRET,
      SHOP.idInstance,
    );
    const forSupport = stateNotification(SUPPORT.idInstance, "notAuthorized");
    expect((await postWebhook(h, forSupport, `Bearer ${shopToken}`)).status).toBe(401);
    const unknown = stateNotification("1109999999", "notAuthorized");
    const unknownToken = documentedInstanceToken(
      h.env.BOT_TOKEN ?? "",
      WEBHOOK_SECRET,
      "1109999999",
    );
    expect((await postWebhook(h, unknown, `Bearer ${unknownToken}`)).status).toBe(401);
    expect(textMessages(h)).toEqual([]);

    const forShop = stateNotification(SHOP.idInstance, "notAuthorized");
    expect((await postWebhook(h, forShop, `Bearer ${shopToken}`)).status).toBe(200);
    const alert = await eventually(() => alertsIn(h)[0], "shop's alert", 5_000);
    expect(alert.text).toMatch(/^🔴 shop: logged out/);
    expect(alertsIn(h).filter((a) => a.text?.includes("support"))).toEqual([]);
    // The refusals are a count and a debug line, never the token.
    expect(h.logLines.some((line) => line.includes(shopToken))).toBe(false);
    expect(
      h.logLines.filter((l) => l.includes("webhook refused") && l.includes('"level":40')),
    ).toEqual([]);
  });

  it("still takes the old shared WEBHOOK_SECRET this release, with one warning per instance, not one per notification", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    await firstRunDone(h);
    for (const state of ["notAuthorized", "authorized", "notAuthorized"]) {
      expect((await postWebhook(h, stateNotification(SHOP.idInstance, state))).status).toBe(200);
    }
    const warnings = h.logLines.filter((line) => line.includes("shared WEBHOOK_SECRET"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`"idInstance":"${SHOP.idInstance}"`);
  });

  it("refuses on the headers alone, before reading a body: a missing or malformed token gets 401 even with 300 KB behind it", async () => {
    h = await startWatching({ env: { ...webhookMode } });
    const big = "x".repeat(300_000);
    // 0.2.0 read the body first and answered 413.
    expect((await postWebhook(h, big, null)).status).toBe(401);
    expect((await postWebhook(h, big, "Bearer not-a-token")).status).toBe(401);
    expect((await postTelegram(h, big, undefined)).status).toBe(401);
    expect((await postTelegram(h, big, "wrong")).status).toBe(401);
    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    expect(metrics).toContain(
      'greenlight_refusals_total{where="green-api-webhook",reason="wrong-secret"} 2',
    );
    expect(metrics).toContain(
      'greenlight_refusals_total{where="telegram-webhook",reason="wrong-secret"} 2',
    );
  });
});
