import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The secrets greenlight's two webhooks are checked with, derived so that neither can be
 * computed from what the other side sees:
 *
 * - GREEN-API sends each instance's `webhookUrlToken` in the Authorization header, and anyone
 *   holding that instance's apiTokenInstance can read it back with getSettings. So each instance
 *   gets its own token: `hex(HMAC-SHA256(key = K, message = idInstance))` with the idInstance in
 *   decimal ("1101000001"), 64 characters of 0-9a-f, where the key
 *   `K = hex(HMAC-SHA256(key = BOT_TOKEN, message = "greenlight:green-api-webhook:" +
 *   WEBHOOK_SECRET))`. Holding one instance's token forges notifications for that instance only.
 *   K mixes in BOT_TOKEN because up to 0.2.0 WEBHOOK_SECRET itself was every instance's token:
 *   anyone who ever read it (getSettings, a TLS proxy) must not be able to compute the new ones.
 *   Changing WEBHOOK_SECRET, or the bot token, changes every instance's token.
 * - Telegram's `secret_token` is TELEGRAM_WEBHOOK_SECRET when set, otherwise
 *   `hex(HMAC-SHA256(key = BOT_TOKEN, message = "greenlight:telegram-webhook"))`: nothing
 *   GREEN-API or an instance-token holder can read lets them compute it. Telegram allows 1-256
 *   characters of A-Z a-z 0-9 _ - (core.telegram.org/bots/api#setwebhook); hex fits.
 */
export function instanceTokenKey(env: { BOT_TOKEN: string; WEBHOOK_SECRET: string }): string {
  return createHmac("sha256", env.BOT_TOKEN)
    .update(`greenlight:green-api-webhook:${env.WEBHOOK_SECRET}`)
    .digest("hex");
}

/** An instance's webhookUrlToken; `tokenKey` is instanceTokenKey(env). */
export function instanceWebhookToken(tokenKey: string, idInstance: string | number): string {
  return createHmac("sha256", tokenKey).update(String(idInstance)).digest("hex");
}

export function telegramSecretToken(env: {
  BOT_TOKEN: string;
  TELEGRAM_WEBHOOK_SECRET?: string | undefined;
}): string {
  return (
    env.TELEGRAM_WEBHOOK_SECRET ??
    createHmac("sha256", env.BOT_TOKEN).update("greenlight:telegram-webhook").digest("hex")
  );
}

/** Constant time whatever the lengths: both sides are hashed first. */
export function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
