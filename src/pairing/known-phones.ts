import type { Redis } from "ioredis";
import { z } from "zod";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { GreenApiError } from "../green-api/errors.js";
import { BACKGROUND_MAX_WAIT_MS } from "../green-api/rate-limiter.js";
import type { Logger } from "../shared/logger.js";
import { formatPhone } from "./phone.js";

/** E.164 without "+", as getWaSettings and getAuthorizationCode have it. */
const knownPhoneSchema = z.object({
  phone: z.string().regex(/^[1-9]\d{6,14}$/),
  at: z.number().int(),
});
export type KnownPhone = z.infer<typeof knownPhoneSchema>;

export interface KnownPhonesOptions {
  /** getWaSettings at most this often per instance from the watcher (a day by default). */
  refreshEveryMs: number;
  /** After a failed refresh, the next try waits this long (not a whole day, not every poll). */
  retryAfterFailureMs?: number;
  /** Per getWaSettings call. */
  timeoutMs: number;
}

/**
 * Each instance's last known phone number, remembered while it was authorized (GREEN-API's
 * getWaSettings gives `phone` only then), so that a logged-out instance can be sent a pairing
 * code with one tap. One Redis hash for the bot; a refresh is claimed with SET NX so that every
 * process together asks at most once per `refreshEveryMs` per instance.
 */
export class KnownPhones {
  private readonly key: string;
  /**
   * Instances this process need not ask Redis about before this time: the watcher sees each
   * authorized instance every interval, and a claim per sighting was most of a fleet's Redis
   * traffic and garbage. A local skip delays the daily refresh by at most `retryMs`.
   */
  private readonly skipUntil = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly deps: { greenApi?: GreenApiClient; logger?: Logger } = {},
    private readonly options: KnownPhonesOptions = {
      refreshEveryMs: 24 * 3_600_000,
      timeoutMs: 5_000,
    },
  ) {
    this.key = `${prefix}:phones`;
  }

  private get retryMs(): number {
    return this.options.retryAfterFailureMs ?? 10 * 60_000;
  }

  async get(instance: string): Promise<KnownPhone | undefined> {
    return parse(await this.redis.hget(this.key, instance));
  }

  async many(instances: readonly string[]): Promise<Map<string, KnownPhone>> {
    if (instances.length === 0) return new Map();
    const raw = await this.redis.hmget(this.key, ...instances);
    const out = new Map<string, KnownPhone>();
    instances.forEach((name, index) => {
      const known = parse(raw[index]);
      if (known) out.set(name, known);
    });
    return out;
  }

  /** A number seen at login (QR, pairing code) or by a refresh; anything else is ignored. */
  async remember(instance: string, phone: string | undefined, at = Date.now()): Promise<void> {
    const digits = phone?.replace(/@.*$/, "").replace(/\D/g, "");
    const parsed = knownPhoneSchema.safeParse({ phone: digits, at });
    if (!parsed.success) return;
    await this.redis.hset(this.key, instance, JSON.stringify(parsed.data));
  }

  /**
   * The watcher saw the instance authorized: ask GREEN-API for its number unless someone did
   * within `refreshEveryMs`. Never throws: the number is a convenience, the watcher goes on.
   */
  async refresh(instance: Instance): Promise<"refreshed" | "skipped" | "failed"> {
    const { greenApi, logger } = this.deps;
    if (!greenApi) return "skipped";
    const now = Date.now();
    if ((this.skipUntil.get(instance.name) ?? 0) > now) return "skipped";
    const claim = `${this.prefix}:phones:refreshed:${instance.name}`;
    try {
      const taken = await this.redis.set(claim, "1", "PX", this.options.refreshEveryMs, "NX");
      this.skipUntil.set(instance.name, now + Math.min(this.options.refreshEveryMs, this.retryMs));
      if (taken !== "OK") return "skipped";
      // A background courtesy (getWaSettings is 1/s per instance): it never queues ahead of an
      // operator's /status or /code; a busy slot counts as a failure and is retried later.
      const settings = await greenApi.getWaSettings(instance, {
        timeoutMs: this.options.timeoutMs,
        maxWaitMs: BACKGROUND_MAX_WAIT_MS,
      });
      if (!settings.phone) {
        // Authorized a moment ago, no number now (the state moved on): try again a bit later.
        await this.redis.set(claim, "1", "PX", this.retryMs);
        return "skipped";
      }
      await this.remember(instance.name, settings.phone);
      if (logger?.isLevelEnabled("debug")) {
        logger.debug(
          { instance: instance.name, phone: formatPhone(settings.phone, "masked") },
          "phone number remembered",
        );
      }
      return "refreshed";
    } catch (error) {
      if (error instanceof GreenApiError && error.failure === "rate-limited") {
        // The slot was an operator's: no failure, the next run that sees it authorized asks again.
        this.skipUntil.delete(instance.name);
        await this.redis.del(claim).catch(() => undefined);
        return "skipped";
      }
      logger?.warn({ err: error, instance: instance.name }, "could not refresh the phone number");
      await this.redis.set(claim, "1", "PX", this.retryMs).catch(() => undefined);
      return "failed";
    }
  }
}

function parse(raw: string | null | undefined): KnownPhone | undefined {
  if (!raw) return undefined;
  try {
    const parsed = knownPhoneSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** "+7 900 ···67": short enough for a button, the country and the first group kept. */
export function buttonPhone(phone: string): string {
  const masked = formatPhone(phone, "masked");
  const [plusCode = "", first = "", ...rest] = masked.split(" ");
  const tail = rest.join("").replace(/[^\d]/g, "");
  return rest.length === 0 ? masked : `${plusCode} ${first} ···${tail}`;
}
