import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Telegram Mini App `initData`, checked as the Bot API documents it
 * (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app): the fields but
 * `hash`, sorted, `key=value` joined by "\n", signed with HMAC-SHA256 under
 * HMAC-SHA256(key "WebAppData", bot token). Newer clients add a `signature` field (Ed25519, for
 * third parties); sources disagree on whether it is part of the checked string, so both forms
 * are accepted. Fresh means `auth_date` at most `maxAgeMs` old.
 */
export type InitDataCheck =
  | { ok: true; userId: number; authDate: number }
  | { ok: false; reason: "malformed" | "forged" | "stale" | "no-user" };

const userSchema = z.looseObject({ id: z.number().int().positive() });

function sign(fields: Array<[string, string]>, secret: Buffer): Buffer {
  const checkString = fields
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("\n");
  return createHmac("sha256", secret).update(checkString).digest();
}

export function checkInitData(
  raw: string,
  botToken: string,
  now: number,
  maxAgeMs: number,
): InitDataCheck {
  if (raw.length === 0 || raw.length > 4096) return { ok: false, reason: "malformed" };
  const params = new URLSearchParams(raw);
  const hashes = params.getAll("hash");
  const hash = hashes[0];
  if (hashes.length !== 1 || !hash || !/^[0-9a-f]{64}$/.test(hash))
    return { ok: false, reason: "malformed" };
  const fields = [...params.entries()].filter(([key]) => key !== "hash");
  if (new Set(fields.map(([key]) => key)).size !== fields.length)
    return { ok: false, reason: "malformed" };
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const given = Buffer.from(hash, "hex");
  const forms = [fields, fields.filter(([key]) => key !== "signature")];
  if (!forms.some((form) => timingSafeEqual(sign(form, secret), given)))
    return { ok: false, reason: "forged" };
  const authDate = Number(params.get("auth_date")) * 1000;
  if (!Number.isFinite(authDate) || authDate <= 0 || now - authDate > maxAgeMs)
    return { ok: false, reason: "stale" };
  let user;
  try {
    user = userSchema.safeParse(JSON.parse(params.get("user") ?? "null"));
  } catch {
    return { ok: false, reason: "no-user" };
  }
  if (!user.success) return { ok: false, reason: "no-user" };
  return { ok: true, userId: user.data.id, authDate };
}

/** How test kits and the fake Telegram make valid initData (the same recipe, signing side). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const hash = sign(Object.entries(fields), secret).toString("hex");
  return new URLSearchParams({ ...fields, hash }).toString();
}
