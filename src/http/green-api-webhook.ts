import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { InstanceRegistry } from "../config/index.js";
import { type StateInstance, stateInstanceSchema } from "../green-api/schemas.js";

/**
 * GREEN-API notification bodies (green-api.com/en/docs/api/receiving/notifications-format): every
 * type has typeWebhook, instanceData and timestamp; stateInstanceChanged adds stateInstance.
 */
const notificationSchema = z.object({
  typeWebhook: z.string().min(1).max(64),
  instanceData: z.object({
    idInstance: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)]),
  }),
  timestamp: z.number().int().nonnegative(),
  stateInstance: z.unknown().optional(),
});

/** A notification this old (a late retry) describes the past: polling knows better by now. */
const STALE_AFTER_MS = 10 * 60_000;

export type WebhookVerdict =
  | { status: 200; kind: "state"; instance: string; state: StateInstance; at: number }
  /** Another notification type (messages, statuses…): acknowledged so GREEN-API does not retry. */
  | { status: 200; kind: "ignored"; typeWebhook: string }
  | { status: 400 | 422; reason: string };

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * GREEN-API sends the instance's `webhookUrlToken` in the Authorization header; depending on
 * how it was set up that is "Bearer <token>" or the bare token. Both are accepted.
 */
export function isAuthorized(header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const bearer = /^bearer\s+(.+)$/i.exec(header.trim());
  return sameSecret(bearer?.[1] ?? header.trim(), secret);
}

/** What an (authenticated) webhook body asks for. Pure: no I/O, never throws. */
export function judgeNotification(raw: Buffer, instances: InstanceRegistry): WebhookVerdict {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { status: 400, reason: "body is not JSON" };
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) return { status: 400, reason: "not a GREEN-API notification" };
  const body = parsed.data;
  const instance = instances.findById(String(body.instanceData.idInstance));
  if (!instance) return { status: 422, reason: "unknown idInstance" };
  if (body.typeWebhook !== "stateInstanceChanged") {
    return { status: 200, kind: "ignored", typeWebhook: body.typeWebhook };
  }
  if (Date.now() - body.timestamp * 1000 > STALE_AFTER_MS) {
    return { status: 200, kind: "ignored", typeWebhook: "stale stateInstanceChanged" };
  }
  const state = stateInstanceSchema.safeParse(body.stateInstance);
  if (!state.success) return { status: 400, reason: "unknown stateInstance" };
  // GREEN-API stamps seconds; a late retry must not pass for news, so the receipt time is used.
  return { status: 200, kind: "state", instance: instance.name, state: state.data, at: Date.now() };
}
