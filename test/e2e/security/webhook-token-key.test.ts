import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  alertsIn,
  firstRunDone,
  postWebhook,
  startWatching,
  stateNotification,
  WEBHOOK_SECRET,
} from "../alerts/kit.js";
import { type Harness, SUPPORT } from "../../kit/app-harness.js";
import { pause } from "../../kit/wait.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";

/**
 * #22 review: up to 0.2.0 WEBHOOK_SECRET was every instance's webhookUrlToken, readable with
 * getSettings by anyone holding one instance's token. The per-instance tokens must not be
 * computable from it: they are keyed by BOT_TOKEN as well. And once every instance has its own
 * token, WEBHOOK_ACCEPT_SHARED_SECRET=0 ends the grace for the old shared one.
 */
const ADMIN = 4004;
let h: Harness;
afterEach(async () => h.close());

async function watching(env: Record<string, string> = {}): Promise<Harness> {
  const harness = await startWatching({
    env: { STATE_POLL_INTERVAL_MS: "60000", ADMIN_IDS: String(ADMIN), ...env },
  });
  harness.telegram.userStartedBot(ADMIN);
  await firstRunDone(harness);
  return harness;
}

const supportAlerts = () => alertsIn(h, ADMIN).filter((a) => a.text?.includes("support"));

describe("per-instance webhook tokens against what 0.2.0 gave away", () => {
  it("refuses a token computed from the old shared WEBHOOK_SECRET alone (HMAC(WEBHOOK_SECRET, id))", async () => {
    h = await watching();
    const fromOldSecret = createHmac("sha256", WEBHOOK_SECRET)
      .update(SUPPORT.idInstance)
      .digest("hex");
    const notification = stateNotification(SUPPORT.idInstance, "notAuthorized");
    expect((await postWebhook(h, notification, `Bearer ${fromOldSecret}`)).status).toBe(401);
    await pause(500);
    expect(supportAlerts()).toEqual([]);
    // The documented token, which needs BOT_TOKEN too, is taken.
    const own = documentedInstanceToken(h.env.BOT_TOKEN ?? "", WEBHOOK_SECRET, SUPPORT.idInstance);
    expect((await postWebhook(h, notification, `Bearer ${own}`)).status).toBe(200);
  });

  it("refuses the old shared secret with WEBHOOK_ACCEPT_SHARED_SECRET=0, and still takes each instance's own token", async () => {
    h = await watching({ WEBHOOK_ACCEPT_SHARED_SECRET: "0" });
    const notification = stateNotification(SUPPORT.idInstance, "notAuthorized");
    expect((await postWebhook(h, notification, `Bearer ${WEBHOOK_SECRET}`)).status).toBe(401);
    const own = documentedInstanceToken(h.env.BOT_TOKEN ?? "", WEBHOOK_SECRET, SUPPORT.idInstance);
    expect((await postWebhook(h, notification, `Bearer ${own}`)).status).toBe(200);
  });
});
