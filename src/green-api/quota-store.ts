import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * `quotaData` of GREEN-API's quotaExceeded notification (green-api.com/en/docs/api/receiving/
 * notifications-format/QuotaExceeded): the table types used and total as strings, the example
 * as integers; both are accepted. Every field is optional: an odd field hides nothing else.
 */
export const quotaDataSchema = z.object({
  method: z.string().max(100).optional().catch(undefined),
  used: z
    .union([z.number(), z.string().max(30)])
    .optional()
    .catch(undefined),
  total: z
    .union([z.number(), z.string().max(30)])
    .optional()
    .catch(undefined),
  status: z.string().max(100).optional().catch(undefined),
});

/**
 * What greenlight keeps of a quotaExceeded notification, with when it came. Not the description:
 * GREEN-API lists the customers' chat ids (phone numbers) there.
 */
export const quotaNoticeSchema = quotaDataSchema.extend({ at: z.number() });
export type QuotaNotice = z.infer<typeof quotaNoticeSchema>;

/** A quota notice stays shown this long (a plan's quota is monthly). */
const KEEP_MS = 31 * 24 * 3_600_000;

/** The last quotaExceeded notification per instance, for /status. */
export class QuotaStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(instance: string): string {
    return `${this.prefix}:green-api:quota:${instance}`;
  }

  async record(instance: string, notice: QuotaNotice): Promise<void> {
    await this.redis.set(this.key(instance), JSON.stringify(notice), "PX", KEEP_MS);
  }

  /** The notices of these instances (those that have one). */
  async many(instances: readonly string[]): Promise<Map<string, QuotaNotice>> {
    if (instances.length === 0) return new Map();
    const raw = await this.redis.mget(...instances.map((name) => this.key(name)));
    const notices = new Map<string, QuotaNotice>();
    instances.forEach((name, index) => {
      const text = raw[index];
      if (!text) return;
      try {
        const parsed = quotaNoticeSchema.safeParse(JSON.parse(text));
        if (parsed.success) notices.set(name, parsed.data);
      } catch {
        // A damaged value shows nothing rather than break /status.
      }
    });
    return notices;
  }
}
