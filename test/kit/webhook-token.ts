import { createHmac } from "node:crypto";

/**
 * An instance's GREEN-API webhook token by the formula the README documents, written out here
 * (not imported from src/) so that a change of formula fails the tests that use it:
 * key = hex(HMAC-SHA256(BOT_TOKEN, "greenlight:green-api-webhook:" + WEBHOOK_SECRET)),
 * token = hex(HMAC-SHA256(key, idInstance)).
 */
export function documentedInstanceToken(
  botToken: string,
  webhookSecret: string,
  idInstance: string,
): string {
  const key = createHmac("sha256", botToken)
    .update(`greenlight:green-api-webhook:${webhookSecret}`)
    .digest("hex");
  return createHmac("sha256", key).update(idInstance).digest("hex");
}
