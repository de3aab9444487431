import { z } from "zod";
import type { InstanceRegistry } from "../config/index.js";
import { instanceWebhookToken, sameSecret } from "../config/webhook-secrets.js";
import { type QuotaNotice, quotaDataSchema } from "../green-api/quota-store.js";
import { type StateInstance, stateInstanceSchema } from "../green-api/schemas.js";

/**
 * The envelope every GREEN-API notification shares (green-api.com/en/docs/api/receiving/
 * notifications-format): typeWebhook and instanceData. `timestamp` is documented for every type
 * but missing from quotaExceeded's own example, and idInstance is a number (a string is accepted
 * too). Everything else depends on the type and is read only for the types greenlight uses.
 */
const envelopeSchema = z.object({
  typeWebhook: z.string().min(1).max(64),
  instanceData: z.object({
    idInstance: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)]),
  }),
  timestamp: z.number().nonnegative().optional(),
});

/**
 * The types greenlight reads; every other one is acknowledged and left alone. outgoingMessageReceived
 * is "a message sent from the phone or the web version" (…/notifications-format/outgoing-message/
 * OutgoingMessage): the one sign GREEN-API gives that the phone was in use. Only its envelope is
 * read, never the message. outgoingAPIMessageReceived (sent through the API) says nothing of it.
 */
const USED_TYPES: ReadonlySet<string> = new Set([
  "stateInstanceChanged",
  "quotaExceeded",
  "outgoingMessageReceived",
]);

/** A notification this old (a late retry) describes the past: polling knows better by now. */
const STALE_AFTER_MS = 10 * 60_000;

/** Why an authenticated notification was acknowledged (200) and not used: a metric label. */
export type IgnoreReason =
  | "not-json"
  | "not-a-notification"
  | "unknown-instance"
  /** A type greenlight has no use for (messages, statuses, calls, device info…). */
  | "other-type"
  | "stale"
  | "unknown-state"
  | "bad-quota-data"
  /** Redis refused it; polling is the safety net, and GREEN-API must not retry for a day. */
  | "not-queued";

export type WebhookVerdict =
  | { kind: "state"; instance: string; state: StateInstance; at: number }
  | { kind: "quota"; instance: string; quota: QuotaNotice }
  /** outgoingMessageReceived: the phone itself sent a message at `at` (its stamp, never later than now). */
  | { kind: "phone-seen"; instance: string; at: number }
  | { kind: "ignored"; reason: IgnoreReason; typeWebhook?: string };

/**
 * The token in an Authorization header: GREEN-API sends the instance's `webhookUrlToken` as
 * "Bearer <token>" or, depending on how it was set up, bare. Both are accepted.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const trimmed = header?.trim();
  if (!trimmed) return undefined;
  return /^bearer\s+(.+)$/i.exec(trimmed)?.[1] ?? trimmed;
}

export function isAuthorized(header: string | undefined, secret: string): boolean {
  const token = bearerToken(header);
  return token !== undefined && sameSecret(token, secret);
}

/** The tokens of the instances greenlight knows (config/webhook-secrets.ts), for the header check. */
/**
 * How notifications are checked: `tokenKey` derives each instance's token
 * (config/webhook-secrets.ts); `sharedSecret` is 0.2.0's one token for every instance, accepted
 * while WEBHOOK_ACCEPT_SHARED_SECRET=1 (undefined: refused).
 */
export interface NotificationKeys {
  tokenKey: string;
  sharedSecret: string | undefined;
}

export function instanceTokensOf(instances: InstanceRegistry, tokenKey: string): Set<string> {
  return new Set(
    instances.all().map((instance) => instanceWebhookToken(tokenKey, instance.idInstance)),
  );
}

/**
 * Worth reading the body for: the token of an instance greenlight knows, or the old shared
 * secret. Anything else, a made-up token of the right shape included, is refused on its headers
 * alone, before a byte of the body is read. (The set lookup only decides whether to read: the
 * token is then checked in constant time against the instance the body names.)
 */
export function mayBeAuthentic(
  token: string | undefined,
  sharedSecret: string | undefined,
  instanceTokens: ReadonlySet<string>,
): boolean {
  if (token === undefined) return false;
  return instanceTokens.has(token) || isShared(token, sharedSecret);
}

const isShared = (token: string, sharedSecret: string | undefined) =>
  sharedSecret !== undefined && sameSecret(token, sharedSecret);

/**
 * Who vouches for a notification. "instance": the token of the instance the body names (a known
 * one). "shared": WEBHOOK_SECRET itself, every instance's token before 0.3.0, accepted for this
 * release only. Anything else, a token of another instance included, is refused.
 */
export type NotificationAuth = "instance" | "shared" | "refused";

export function authenticateNotification(
  token: string,
  sender: { idInstance: string; known: boolean } | undefined,
  keys: NotificationKeys,
): NotificationAuth {
  if (sender?.known && sameSecret(token, instanceWebhookToken(keys.tokenKey, sender.idInstance)))
    return "instance";
  return isShared(token, keys.sharedSecret) ? "shared" : "refused";
}

/** The idInstance a body names, if it is a notification at all; never throws. */
export function senderOf(raw: Buffer): string | undefined {
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(raw.toString("utf8")));
    return parsed.success ? String(parsed.data.instanceData.idInstance) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What an (authenticated) webhook body asks for. Pure: no I/O, never throws. Whatever it says,
 * the answer is 200: GREEN-API resends anything else every minute for a day, and notifications
 * behind it wait (green-api.com/en/docs/api/receiving/technology-webhook-endpoint).
 */
export function judgeNotification(
  raw: Buffer,
  instances: InstanceRegistry,
  now = Date.now(),
): WebhookVerdict {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { kind: "ignored", reason: "not-json" };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return { kind: "ignored", reason: "not-a-notification" };
  const body = parsed.data;
  const typeWebhook = body.typeWebhook;
  if (!USED_TYPES.has(typeWebhook)) {
    return { kind: "ignored", reason: "other-type", typeWebhook };
  }
  const instance = instances.findById(String(body.instanceData.idInstance));
  if (!instance) return { kind: "ignored", reason: "unknown-instance", typeWebhook };
  // GREEN-API stamps seconds; a missing stamp (or one from the future) is taken as "now".
  const stamp = body.timestamp === undefined ? undefined : body.timestamp * 1000;
  const sentAt = stamp !== undefined && stamp <= now + 60_000 ? stamp : now;

  if (typeWebhook === "quotaExceeded") {
    const quota = quotaDataSchema.safeParse((json as { quotaData?: unknown }).quotaData);
    if (!quota.success) return { kind: "ignored", reason: "bad-quota-data", typeWebhook };
    return { kind: "quota", instance: instance.name, quota: { ...quota.data, at: sentAt } };
  }
  // A late one still dates the phone truly: it was in use then (it never moves the time back).
  if (typeWebhook === "outgoingMessageReceived") {
    return { kind: "phone-seen", instance: instance.name, at: sentAt };
  }
  if (now - sentAt > STALE_AFTER_MS) return { kind: "ignored", reason: "stale", typeWebhook };
  const state = stateInstanceSchema.safeParse((json as { stateInstance?: unknown }).stateInstance);
  if (!state.success) return { kind: "ignored", reason: "unknown-state", typeWebhook };
  // A late retry must not pass for news, so the receipt time is used.
  return { kind: "state", instance: instance.name, state: state.data, at: now };
}
