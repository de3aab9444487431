import type { Redis } from "ioredis";
import { z } from "zod";
import type { AlertItem, AlertMessage, MessageRef } from "./watch-state.js";

/**
 * Mass incidents stay one message per chat (pure rules; test/e2e/alerts/digest.test.ts). When new
 * incidents and the chat's latest alert (problems still open) together list many instances, they
 * join that alert by an edit instead of a new message (it becomes the chat's digest), and the digest is edited at most every
 * DIGEST_EDIT_EVERY_MS: 1,000 instances dropping over a few minutes give one message, edited
 * about 10 times a minute, inside Telegram's 20 messages a minute per group.
 */

/** An alert with this many items is a mass incident: later ones join it. */
export const DIGEST_MIN_ITEMS = 10;
/** A digest takes new incidents this long after its last change; then a new message starts. */
export const DIGEST_WINDOW_MS = 30 * 60_000;
/** At most one edit of a digest this often (a group takes ~20 messages a minute, edits included). */
export const DIGEST_EDIT_EVERY_MS = 6_000;

export interface DigestRecord extends MessageRef {
  /** Last time its items changed (joins, ends). */
  changedAt: number;
  /** Last time it was edited on Telegram. */
  editedAt: number;
}

/**
 * Whether `adding` new incidents join the chat's latest alert (else: a new message, as for a
 * few): when together they make a mass incident, while its problems are still open.
 */
export function joinsDigest(
  digest: DigestRecord | undefined,
  message: AlertMessage | undefined,
  adding: number,
  now: number,
): boolean {
  if (!digest || !message) return false;
  if (now - digest.changedAt > DIGEST_WINDOW_MS) return false;
  const open = message.items.filter((item) => item.endedAt === undefined).length;
  return message.items.length + adding >= DIGEST_MIN_ITEMS && open > 0;
}

/** The digest's items with new ones: an instance already listed for that kind is not doubled. */
export function joinItems(
  existing: readonly AlertItem[],
  added: readonly AlertItem[],
): AlertItem[] {
  const open = new Set(
    existing
      .filter((item) => item.endedAt === undefined)
      .map((item) => `${item.kind}/${item.instance}`),
  );
  return [...existing, ...added.filter((item) => !open.has(`${item.kind}/${item.instance}`))];
}

/** Whether a dirty digest may be edited now, or waits for its turn (it stays dirty). */
export const digestEditDue = (digest: DigestRecord, now: number) =>
  now - digest.editedAt >= DIGEST_EDIT_EVERY_MS;

const digestSchema = z.object({
  chatId: z.number().int(),
  messageId: z.number().int(),
  changedAt: z.number(),
  editedAt: z.number(),
});

/** Each chat's digest, in Redis (one key per chat, expiring with the window). */
export class DigestStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async of(chatId: number): Promise<DigestRecord | undefined> {
    const raw = await this.redis.get(this.key(chatId));
    if (!raw) return undefined;
    try {
      const parsed = digestSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async save(digest: DigestRecord): Promise<void> {
    await this.redis.set(this.key(digest.chatId), JSON.stringify(digest), "PX", DIGEST_WINDOW_MS);
  }

  /**
   * New alerts in a chat wait until this moment (set by the first of them, for `gatherMs`), so
   * that instances dropping within a few seconds of each other share one message.
   */
  async gatherUntil(chatId: number, now: number, gatherMs: number): Promise<number> {
    const key = `${this.key(chatId)}:gather`;
    const until = String(now + gatherMs);
    const set = await this.redis.set(key, until, "PX", gatherMs + 60_000, "NX");
    return set === "OK" ? now + gatherMs : Number(await this.redis.get(key)) || now;
  }

  async gathered(chatId: number): Promise<void> {
    await this.redis.del(`${this.key(chatId)}:gather`);
  }

  private key(chatId: number): string {
    return `${this.prefix}:alerts:digest:${chatId}`;
  }
}
