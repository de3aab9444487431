import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

/**
 * A link's id: 16 random bytes (128 bits) from the OS's CSPRNG, base64url, 22 characters. It is
 * the only thing the link carries: no token, no idInstance. Redis keeps only its SHA-256, so a
 * copy of the database (or a key listing) does not give working links away.
 */
const ID_BYTES = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newLinkId(): string {
  return randomBytes(ID_BYTES).toString("base64url");
}

/** Anything else in the path is refused before Redis is asked (and counts as a guess). */
export function isWellFormedLinkId(text: string): boolean {
  return ID_PATTERN.test(text);
}

export function hashLinkId(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}

/**
 * Seals a link's id for the record, so that the operator's message can show the link again
 * when it is edited, while Redis alone does not give the link away (AES-256-GCM; the key is
 * derived from the bot token by app/).
 */
export class LinkIdSeal {
  constructor(private readonly key: Buffer) {}

  seal(id: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(id, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  open(sealed: string): string | undefined {
    try {
      const raw = Buffer.from(sealed, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}

/** The seal's key: HMAC-SHA256 of a fixed label under the bot token. */
export function linkSealKey(botToken: string): Buffer {
  return createHmac("sha256", botToken).update("greenlight link id seal").digest();
}

/**
 * The page's anti-CSRF token for a link: HMAC of the id under the seal's key. Only whoever
 * loaded the page (who holds the id) gets it; another site cannot read it or compute it.
 */
export function csrfTokenOf(key: Buffer, id: string): string {
  return createHmac("sha256", key).update(`csrf:${id}`).digest("base64url");
}
