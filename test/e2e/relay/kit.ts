// Helpers for the relay tests: the fake GREEN-API pointed at greenlight with the instance's own
// token (the notifications themselves: test/fakes/green-api-notifications.ts, relayedMessage).
import type { Harness, TestInstance } from "../../kit/app-harness.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";
import { httpUrl, WEBHOOK_SECRET } from "../alerts/kit.js";

/** GREEN-API (the fake) posts this instance's notifications to greenlight, as set up per README. */
export function pointGreenApiAt(h: Harness, instance: TestInstance, retryMs = 100): void {
  h.greenApi.setWebhook({
    url: httpUrl(h, "/green-api/webhook"),
    token: instanceToken(h, instance),
    retryMs,
  });
}

/** The instance's own webhook token, as `npm run webhook-tokens` gives it. */
export function instanceToken(h: Harness, instance: TestInstance): string {
  return documentedInstanceToken(h.env.BOT_TOKEN as string, WEBHOOK_SECRET, instance.idInstance);
}
