// Helpers for the relay tests: notifications whose bytes are worth comparing, and the fake
// GREEN-API pointed at greenlight with the instance's own token.
import { incomingMessageReceived } from "../../fakes/green-api-notifications.js";
import type { Harness, TestInstance } from "../../kit/app-harness.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";
import { httpUrl, WEBHOOK_SECRET } from "../alerts/kit.js";

/**
 * The n-th message of an instance as GREEN-API might format it: pretty-printed or not, with
 * non-ASCII text and escapes, so that any re-encoding on the way would show.
 */
export function messageBody(idInstance: string, n: number): string {
  const body = incomingMessageReceived(Number(idInstance));
  body.idMessage = `MSG${String(n).padStart(6, "0")}`;
  body.messageData.textMessageData.textMessage = `#${n} привет 🟢 "quoted" \\ tab\t`;
  return JSON.stringify(body, null, n % 2 ? 2 : 0);
}

/** The sequence number a relayed body carries. */
export const numberOf = (body: Buffer) => Number(/"MSG(\d+)"/.exec(body.toString("utf8"))?.[1]);

/** GREEN-API (the fake) posts this instance's notifications to greenlight, as set up per README. */
export function pointGreenApiAt(h: Harness, instance: TestInstance, retryMs = 100): void {
  h.greenApi.setWebhook({
    url: httpUrl(h, "/green-api/webhook"),
    token: documentedInstanceToken(h.env.BOT_TOKEN as string, WEBHOOK_SECRET, instance.idInstance),
    retryMs,
  });
}
