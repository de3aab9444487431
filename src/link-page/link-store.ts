import type { Redis } from "ioredis";
import { z } from "zod";
import type { LinkRecord } from "./link-rules.js";
import { recordTtlMs } from "./link-rules.js";

const recordSchema = z.object({
  idHash: z.string(),
  idSealed: z.string(),
  instance: z.string(),
  createdBy: z.number().int(),
  chatId: z.number().int(),
  messageId: z.number().int(),
  locale: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  openedAt: z.number().optional(),
  openedOn: z.string().optional(),
  codeRequestedAt: z.number().optional(),
  linkedAt: z.number().optional(),
  linkedAs: z.string().optional(),
  revokedAt: z.number().optional(),
  rev: z.number().int().optional(),
});

/**
 * Compare-and-set on the record's `rev`: two processes applying an event to the same link at
 * once (two openings) change it once; the loser re-reads and finds nothing left to do.
 */
const REPLACE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local current = cjson.decode(raw)
if (current.rev or 0) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
if ARGV[3] == '0' then
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZREM', KEYS[3], ARGV[4])
end
return 1
`;

/**
 * The links in Redis, by the hash of their id (never the id): one record each with a TTL a
 * little past its life, the live ones of each instance (a sorted set by expiry, for the limit),
 * every live one by expiry (the sweep that tells the operator "expired"), and which message of
 * the operator shows which link (the Revoke button names only the instance).
 */
export class LinkStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private recordKey(idHash: string) {
    return `${this.prefix}:link:${idHash}`;
  }
  private liveKey(instance: string) {
    return `${this.prefix}:links-live:${instance}`;
  }
  private get expiryKey() {
    return `${this.prefix}:links-expiry`;
  }
  private messageKey(chatId: number, messageId: number) {
    return `${this.prefix}:link-msg:${chatId}:${messageId}`;
  }

  /** Live links of the instance, the expired ones dropped first. */
  async liveCount(instance: string, now: number): Promise<number> {
    const key = this.liveKey(instance);
    const [, count] = (await this.redis
      .multi()
      .zremrangebyscore(key, "-inf", now)
      .zcard(key)
      .exec()) as [unknown, [Error | null, number]];
    return count[1];
  }

  async create(record: LinkRecord, now: number): Promise<void> {
    const ttl = recordTtlMs(record, now);
    await this.redis
      .multi()
      .set(this.recordKey(record.idHash), JSON.stringify(record), "PX", ttl)
      .zadd(this.liveKey(record.instance), record.expiresAt, record.idHash)
      .pexpire(this.liveKey(record.instance), ttl)
      .zadd(this.expiryKey, record.expiresAt, record.idHash)
      .set(this.messageKey(record.chatId, record.messageId), record.idHash, "PX", ttl)
      .exec();
  }

  async get(idHash: string): Promise<LinkRecord | undefined> {
    const raw = await this.redis.get(this.recordKey(idHash));
    if (!raw) return undefined;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async byMessage(chatId: number, messageId: number): Promise<LinkRecord | undefined> {
    const idHash = await this.redis.get(this.messageKey(chatId, messageId));
    return idHash ? this.get(idHash) : undefined;
  }

  /**
   * Writes `changed` (its TTL kept) if the stored record is still at revision `fromRev`; a dead
   * one leaves the live sets. False: someone changed it first (re-read and decide again).
   */
  async replace(fromRev: number, changed: LinkRecord, alive: boolean): Promise<boolean> {
    const done = await this.redis.eval(
      REPLACE,
      3,
      this.recordKey(changed.idHash),
      this.liveKey(changed.instance),
      this.expiryKey,
      fromRev,
      JSON.stringify(changed),
      alive ? "1" : "0",
      changed.idHash,
    );
    return Number(done) === 1;
  }

  /** The live links of an instance (opened or not): the ones a linking may be credited to. */
  async liveOf(instance: string, now: number): Promise<LinkRecord[]> {
    const hashes = await this.redis.zrangebyscore(this.liveKey(instance), now, "+inf");
    const records = await Promise.all(hashes.map((hash) => this.get(hash)));
    return records.filter((record): record is LinkRecord => record !== undefined);
  }

  /**
   * Links past their expiry, each handed to exactly one caller across every process (ZREM
   * decides): the sweep tells their operator once.
   */
  async takeExpired(now: number, limit = 50): Promise<LinkRecord[]> {
    const hashes = await this.redis.zrangebyscore(this.expiryKey, "-inf", now, "LIMIT", 0, limit);
    const taken: LinkRecord[] = [];
    for (const hash of hashes) {
      if ((await this.redis.zrem(this.expiryKey, hash)) !== 1) continue;
      const record = await this.get(hash);
      if (record) taken.push(record);
    }
    return taken;
  }

  /** How many hits `key` has in its current window. */
  async count(key: string): Promise<number> {
    return Number((await this.redis.get(`${this.prefix}:link-rate:${key}`)) ?? 0);
  }

  /**
   * A fixed-window counter: true while `key` was hit at most `limit` times in the window. Shared
   * by every process (the page may be served by several).
   */
  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const full = `${this.prefix}:link-rate:${key}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(full)
      .pexpire(full, windowMs, "NX")
      .exec()) as [[Error | null, number]];
    return count <= limit;
  }
}
