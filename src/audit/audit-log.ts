import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../shared/logger.js";

export const auditActions = [
  "qr",
  "code",
  "logout",
  "reboot",
  "cancel",
  "mute",
  "unmute",
  "webhook-on",
  "webhook-off",
  "link",
] as const;

export const auditEntrySchema = z.object({
  at: z.number().int(),
  action: z.enum(auditActions),
  userId: z.number().int(),
  chatId: z.number().int(),
  instance: z.string(),
  /** Short outcome: "started", "done", "failed: unauthorized", "refused: rate limit", … */
  result: z.string().max(200),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** How many entries Redis keeps; /audit shows the newest 20. */
const KEPT = 200;

/**
 * Every operator action, as one structured log line and in a capped Redis list for /audit.
 * Entries carry ids and names only, never a token. Recording never fails the action itself.
 */
export class AuditLog {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.key = `${prefix}:audit`;
  }

  async record(entry: Omit<AuditEntry, "at">): Promise<void> {
    const full: AuditEntry = { at: Date.now(), ...entry };
    this.logger.info(
      { audit: true, ...full },
      `audit: ${entry.action} ${entry.instance} ${entry.result}`,
    );
    try {
      await this.redis
        .multi()
        .lpush(this.key, JSON.stringify(full))
        .ltrim(this.key, 0, KEPT - 1)
        .exec();
    } catch (error) {
      this.logger.warn({ err: error }, "could not store an audit entry");
    }
  }

  async recent(limit = 20): Promise<AuditEntry[]> {
    const raw = await this.redis.lrange(this.key, 0, limit - 1);
    return raw.flatMap((line) => {
      try {
        const parsed = auditEntrySchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }
}
