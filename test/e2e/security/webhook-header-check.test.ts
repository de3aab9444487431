import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, SHOP } from "../../kit/app-harness.js";
import { httpUrl, postWebhook, startWatching, WEBHOOK_SECRET } from "../alerts/kit.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";

/**
 * Issue #22 review, hole 6 ("check headers before bodies"): the header check accepted any token of
 * the per-instance shape (64 hex characters), so anyone could make the server read up to 256 KB
 * per request with a made-up one. Only a known instance's token (or, in 0.3.x, the shared
 * secret) now gets its body read.
 */
describe("the GREEN-API webhook reads a body only behind a known token", () => {
  let h: Harness;
  afterEach(async () => h.close());
  const tokenOf = (idInstance: string) =>
    documentedInstanceToken(h.env.BOT_TOKEN ?? "", WEBHOOK_SECRET, idInstance);

  it("refuses a made-up token of the per-instance shape, or an unknown instance's, on its headers", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    const big = "x".repeat(300_000);
    for (const token of [randomBytes(32).toString("hex"), tokenOf("1109999999")]) {
      expect((await postWebhook(h, big, `Bearer ${token}`)).status).toBe(401);
    }
    // A known instance's token is worth reading: its oversized body gets 413.
    expect((await postWebhook(h, big, `Bearer ${tokenOf(SHOP.idInstance)}`)).status).toBe(413);
    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    expect(metrics).toContain(
      'greenlight_refusals_total{where="green-api-webhook",reason="wrong-secret"} 2',
    );
  });

  it("knows an instance added by a partner sync at once", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    const added = { ...SHOP, name: "added", idInstance: "1101000077", apiUrl: "https://x" };
    h.config.instances.replace([...h.config.instances.all(), added]);
    const big = "x".repeat(300_000);
    expect((await postWebhook(h, big, `Bearer ${tokenOf(added.idInstance)}`)).status).toBe(413);
  });
});
