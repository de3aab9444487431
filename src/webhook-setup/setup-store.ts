import type { Redis } from "ioredis";
import { z } from "zod";
import type { SetupRecord } from "./plan.js";

const recordSchema = z.object({
  original: z.object({
    webhookUrl: z.string(),
    webhookUrlToken: z.string(),
    stateWebhook: z.string().optional(),
  }),
  forward: z.object({ url: z.string().min(1), token: z.string().optional() }).optional(),
  turnedStateWebhookOn: z.boolean(),
  switchedAt: z.number().int(),
  userId: z.number().int(),
});

/** Notes a notification only while a record exists: one round trip, no key for other instances. */
const NOTE_FIRST_SEEN = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('SET', KEYS[2], ARGV[1], 'NX')
end
return false`;

/** One note per instance and process this often at most: the ingest's cost stays flat. */
const NOTE_EVERY_MS = 5_000;

/**
 * What /webhook on keeps per instance (by idInstance, as the relay reads it): the original settings,
 * which are also the forward target, and when the first notification came through greenlight after
 * the switch (the change has taken effect). The original token is the application's secret: it is
 * stored here for the relay and /webhook off, and never shown or logged.
 */
export class WebhookSetupStore {
  private readonly noted = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(idInstance: string): string {
    return `${this.prefix}:webhook-setup:${idInstance}`;
  }

  private seenKey(idInstance: string): string {
    return `${this.key(idInstance)}:first-seen`;
  }

  async record(idInstance: string): Promise<SetupRecord | undefined> {
    const raw = await this.redis.get(this.key(idInstance));
    if (raw === null) return undefined;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps the record; the switch starts now, so an earlier "first notification" is forgotten. */
  async keep(idInstance: string, record: SetupRecord): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(idInstance), JSON.stringify(record))
      .del(this.seenKey(idInstance))
      .exec();
    this.noted.delete(idInstance);
  }

  async forget(idInstance: string): Promise<void> {
    await this.redis.del(this.key(idInstance), this.seenKey(idInstance));
    this.noted.delete(idInstance);
  }

  /**
   * Where the relay forwards this instance's notifications, as /webhook on found them (the
   * application's URL and token); undefined when the instance was not switched or had no URL.
   */
  async storedForwardTarget(
    idInstance: string,
  ): Promise<{ url: string; token?: string } | undefined> {
    return (await this.record(idInstance))?.forward;
  }

  /**
   * An authenticated notification of the instance reached greenlight: the first one since the
   * switch is when the change took effect. Called on the webhook's path: cheap and never throws.
   */
  async noteNotification(idInstance: string, at = Date.now()): Promise<void> {
    const last = this.noted.get(idInstance);
    if (last !== undefined && at - last < NOTE_EVERY_MS) return;
    this.noted.set(idInstance, at);
    try {
      await this.redis.eval(NOTE_FIRST_SEEN, 2, this.key(idInstance), this.seenKey(idInstance), at);
    } catch {
      // Best effort: /webhook shows "not yet" a little longer; the notification is unaffected.
      this.noted.delete(idInstance);
    }
  }

  async firstSeenAt(idInstance: string): Promise<number | undefined> {
    const raw = await this.redis.get(this.seenKey(idInstance));
    const at = raw === null ? Number.NaN : Number(raw);
    return Number.isSafeInteger(at) ? at : undefined;
  }
}
