import type { Redis } from "ioredis";
import { z } from "zod";

/** One pairing-code session per instance: where its message is and until when the code works. */
export const pairingRecordSchema = z.object({
  sessionId: z.string().min(1),
  instance: z.string().min(1),
  chatId: z.coerce.number().int(),
  messageId: z.coerce.number().int(),
  // E.164 without "+": 7 ("+683 4002") to 15 digits.
  phone: z.string().regex(/^[1-9]\d{6,14}$/),
  code: z.string().min(1),
  startedBy: z.coerce.number().int(),
  expiresAt: z.coerce.number().int(),
  locale: z.string().optional(),
});
export type PairingRecord = z.infer<typeof pairingRecordSchema>;

const FINISH = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * Pairing-code sessions and the per-instance cooldown between code requests: GREEN-API puts an
 * instance into `starting` when codes are requested too often, so greenlight asks at most once
 * per cooldown, whoever asks.
 */
export class PairingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(instance: string) {
    return `${this.prefix}:pairing:${instance}`;
  }

  /** Returns 0 when a request may go out now (and starts the cooldown), else ms left to wait. */
  async takeCooldown(instance: string, cooldownMs: number): Promise<number> {
    if (cooldownMs <= 0) return 0;
    const key = `${this.prefix}:pairing-cooldown:${instance}`;
    const taken = await this.redis.set(key, "1", "PX", cooldownMs, "NX");
    if (taken === "OK") return 0;
    return Math.max(1, await this.redis.pttl(key));
  }

  /** Ms until the next code may be asked for on this instance (0: now). */
  async cooldownLeft(instance: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${this.prefix}:pairing-cooldown:${instance}`));
  }

  async save(record: PairingRecord, keepMs: number): Promise<void> {
    const key = this.key(record.instance);
    const fields = Object.entries(record).flatMap(([k, v]) =>
      v === undefined ? [] : [k, String(v)],
    );
    await this.redis
      .multi()
      .del(key)
      .hset(key, ...fields)
      .pexpire(key, keepMs)
      .exec();
  }

  async get(instance: string): Promise<PairingRecord | undefined> {
    const hash = await this.redis.hgetall(this.key(instance));
    const parsed = pairingRecordSchema.safeParse(hash);
    return parsed.success ? parsed.data : undefined;
  }

  async finish(instance: string, sessionId: string): Promise<void> {
    await this.redis.eval(FINISH, 1, this.key(instance), sessionId);
  }

  /** The phone number a code message was for, so its "New code" button can ask again. */
  async rememberPhone(chatId: number, messageId: number, phone: string): Promise<void> {
    await this.redis.set(
      `${this.prefix}:pairing-phone:${chatId}:${messageId}`,
      phone,
      "PX",
      24 * 3_600_000,
    );
  }

  async phoneFor(chatId: number, messageId: number): Promise<string | undefined> {
    return (
      (await this.redis.get(`${this.prefix}:pairing-phone:${chatId}:${messageId}`)) ?? undefined
    );
  }

  /** The instance a "send me the phone number" prompt was about, for the reply to it. */
  async rememberPrompt(chatId: number, messageId: number, instance: string): Promise<void> {
    await this.redis.set(
      `${this.prefix}:pairing-prompt:${chatId}:${messageId}`,
      instance,
      "PX",
      10 * 60_000,
    );
  }

  async promptedInstance(chatId: number, messageId: number): Promise<string | undefined> {
    return (
      (await this.redis.get(`${this.prefix}:pairing-prompt:${chatId}:${messageId}`)) ?? undefined
    );
  }
}
