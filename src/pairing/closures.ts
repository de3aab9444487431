import type { Redis } from "ioredis";
import { z } from "zod";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Closure } from "../shared/closure.js";
import type { Logger } from "../shared/logger.js";
import type { KnownPhones } from "./known-phones.js";

/** A link is remembered this long for the watcher's "linked by" (it ends incidents within minutes). */
const LINK_KEEP_MS = 24 * 3_600_000;

const linkSchema = z.object({
  by: z.string().max(64),
  at: z.number().int(),
  /** How: a QR scan, a pairing code, the link page (absent in records older than the history). */
  via: z.enum(["qr", "code", "link"]).optional(),
});
export type LinkRecord = z.infer<typeof linkSchema>;

export interface UserNameSource {
  nameOf(userId: number): Promise<string>;
}

/**
 * A QR session or a pairing code ended with the instance linked: remembers its number (for the
 * next one-tap code), who linked it (for the alert's "✅ shop linked by Ivan at 03:12"), and reads
 * how many messages GREEN-API queued meanwhile. Never throws: the login itself succeeded.
 */
export class Closures {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly deps: {
      greenApi: GreenApiClient;
      names: UserNameSource;
      knownPhones: KnownPhones;
      logger: Logger;
    },
    private readonly options: { timeoutMs: number } = { timeoutMs: 5_000 },
  ) {}

  private key(instance: string) {
    return `${this.prefix}:linked:${instance}`;
  }

  async linked(
    instance: Instance,
    userId: number,
    phone: string | undefined,
    via?: LinkRecord["via"],
  ): Promise<Closure> {
    const at = Date.now();
    const by = await this.deps.names.nameOf(userId).catch(() => undefined);
    await Promise.all([
      this.deps.knownPhones.remember(instance.name, phone, at).catch(() => undefined),
      by
        ? this.redis
            .set(
              this.key(instance.name),
              JSON.stringify({ by, at, ...(via ? { via } : {}) }),
              "PX",
              LINK_KEEP_MS,
            )
            .catch(() => undefined)
        : undefined,
    ]);
    const queued = await this.queueOf(instance);
    // The closure says "through the link" when the phone's owner linked it on a /link page.
    return {
      at,
      ...(by ? { by } : {}),
      ...(via === "link" ? { via } : {}),
      ...(queued ? { queued } : {}),
    };
  }

  /** Who linked the instance at or after `since` through greenlight, if anyone did. */
  async linkedSince(instance: string, since: number): Promise<LinkRecord | undefined> {
    const raw = await this.redis.get(this.key(instance));
    if (!raw) return undefined;
    try {
      const parsed = linkSchema.safeParse(JSON.parse(raw));
      return parsed.success && parsed.data.at >= since ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private async queueOf(instance: Instance): Promise<Closure["queued"]> {
    try {
      const queue = await this.deps.greenApi.showMessagesQueue(instance, {
        timeoutMs: this.options.timeoutMs,
      });
      // The count only: GREEN-API documents no time for a queued message, and its WhatsApp ids
      // ("BAE5…") are no times (REAL-API.md), so how long one waited is not shown.
      return { count: queue.length };
    } catch (error) {
      this.deps.logger.warn({ err: error, instance: instance.name }, "could not read the queue");
      return undefined;
    }
  }
}
