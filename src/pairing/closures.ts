import type { Redis } from "ioredis";
import { z } from "zod";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Closure } from "../shared/closure.js";
import type { Logger } from "../shared/logger.js";
import type { KnownPhones } from "./known-phones.js";

/** GREEN-API keeps queued messages this long: an id read as a time older than that is no time. */
const QUEUE_KEEP_MS = 24 * 3_600_000;
/** A link is remembered this long for the watcher's "linked by" (it ends incidents within minutes). */
const LINK_KEEP_MS = 24 * 3_600_000;

const linkSchema = z.object({
  by: z.string().max(64),
  at: z.number().int(),
  /** `link`: through a /link page `by` made (incident history reads it). */
  via: z.literal("link").optional(),
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
    via?: "link",
  ): Promise<Closure> {
    const at = Date.now();
    const by = await this.deps.names.nameOf(userId).catch(() => undefined);
    const through = via ? { via } : {};
    await Promise.all([
      this.deps.knownPhones.remember(instance.name, phone, at).catch(() => undefined),
      by
        ? this.redis
            .set(
              this.key(instance.name),
              JSON.stringify({ by, at, ...through }),
              "PX",
              LINK_KEEP_MS,
            )
            .catch(() => undefined)
        : undefined,
    ]);
    const queued = await this.queueOf(instance, at);
    return { at, ...(by ? { by } : {}), ...through, ...(queued ? { queued } : {}) };
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

  private async queueOf(instance: Instance, now: number): Promise<Closure["queued"]> {
    try {
      const queue = await this.deps.greenApi.showMessagesQueue(instance, {
        timeoutMs: this.options.timeoutMs,
      });
      const times = queue.flatMap((entry) => timeOfId(entry.id, now) ?? []);
      const oldest = times.length > 0 ? Math.min(...times) : undefined;
      return { count: queue.length, ...(oldest !== undefined ? { oldestMs: now - oldest } : {}) };
    } catch (error) {
      this.deps.logger.warn({ err: error, instance: instance.name }, "could not read the queue");
      return undefined;
    }
  }
}

/**
 * GREEN-API documents no time for a queued message; the ids in its examples ("1762333029830")
 * are milliseconds since 1970. Such an id within the last 24 h is taken as the time it was
 * queued; any other id says nothing (then the age is not shown, only the count).
 */
export function timeOfId(id: string | undefined, now: number): number | undefined {
  if (!id || !/^\d{13}$/.test(id)) return undefined;
  const at = Number(id);
  return at <= now && now - at <= QUEUE_KEEP_MS ? at : undefined;
}
