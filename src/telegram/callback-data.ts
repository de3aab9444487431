import { z } from "zod";
import { INSTANCE_NAME_PATTERN } from "../config/instances.js";

/**
 * Inline buttons carry an action and an instance name, nothing else: never a token, and never a
 * session id a stranger could guess. The message a button sits on identifies the session.
 * Everything pressed is parsed back through this schema; anything else is a stale or forged button.
 */
export const qrActions = [
  "cancel", // stop the running session
  "new", // start a fresh QR session on this message
  "logout", // ask to confirm a log out (then a fresh QR session)
  "logout-yes",
  "logout-no",
] as const;

export const qrCallbackSchema = z.object({
  action: z.enum(qrActions),
  instance: z.string().regex(INSTANCE_NAME_PATTERN),
});

export type QrCallback = z.infer<typeof qrCallbackSchema>;
export type QrAction = QrCallback["action"];

const PREFIX = "qr";

export function encodeQrCallback(callback: QrCallback): string {
  return `${PREFIX}:${callback.action}:${callback.instance}`;
}

export function decodeQrCallback(data: string): QrCallback | undefined {
  if (data.length > 64) return undefined;
  const [prefix, action, instance, ...rest] = data.split(":");
  if (prefix !== PREFIX || rest.length > 0) return undefined;
  const parsed = qrCallbackSchema.safeParse({ action, instance });
  return parsed.success ? parsed.data : undefined;
}

/** Matches every button of this feature, valid or not, so forged ones get an answer too. */
export const QR_CALLBACK_PATTERN = /^qr:/;
