import type { Redis } from "ioredis";

// One chat's live QR sessions (ZSET `live`: sessionId → expiry) and its line (ZSET `line`:
// sessionId → arrival, with ZSET `seen`: sessionId → expiry). A session is admitted when fewer
// than ARGV[4] are live and it is among the first in line for the free places, so the line is
// first come first served. Entries of pollers that stopped beating lapse on their own.
// ARGV: sessionId, now, ttlMs, capacity, force ('1': admit regardless, for a session already
// showing QRs). Returns 0 when the session is live, else its place in line (1 = next).
const HOLD = `
local live, line, seen = KEYS[1], KEYS[2], KEYS[3]
local id, now, ttl, capacity = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for _, lapsed in ipairs(redis.call('ZRANGEBYSCORE', seen, '-inf', now)) do
  redis.call('ZREM', line, lapsed)
end
redis.call('ZREMRANGEBYSCORE', seen, '-inf', now)
redis.call('ZREMRANGEBYSCORE', live, '-inf', now)
local place = 0
if not redis.call('ZSCORE', live, id) and ARGV[5] ~= '1' then
  redis.call('ZADD', line, 'NX', now, id)
  local free = capacity - redis.call('ZCARD', live)
  local rank = redis.call('ZRANK', line, id)
  if rank >= free then place = rank - free + 1 end
end
if place == 0 then
  redis.call('ZADD', live, now + ttl, id)
  redis.call('ZREM', line, id)
  redis.call('ZREM', seen, id)
else
  redis.call('ZADD', seen, now + ttl, id)
end
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl + 60000) end
return place
`;

const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`;

export interface ChatSlotsOptions {
  prefix: string;
  /** Live QR sessions per group chat; more wait their turn. */
  perGroup: number;
}

/**
 * How many QR sessions may show live QRs in one chat at once. Telegram allows a bot about 20
 * messages a minute in a group, and every live QR costs 3 edits a minute: a fifth or sixth live
 * QR in one group would starve them all, and at four a QR may already expire waiting its turn. Private chats (1 message a second) are not limited here.
 */
export class ChatSlots {
  constructor(
    private readonly redis: Redis,
    private readonly options: ChatSlotsOptions,
  ) {}

  /** The per-chat limit of live sessions; undefined: no limit for this chat. */
  capacityOf(chatId: number): number | undefined {
    return chatId < 0 ? this.options.perGroup : undefined;
  }

  /**
   * Admits the session to its chat's live QRs or keeps it in line, renewing either for `ttlMs`.
   * Returns 0 when it is live, else its place in line. `force` admits it over the limit (a session
   * that already shows QRs keeps doing so when it moves to a full chat).
   */
  async hold(
    chatId: number,
    sessionId: string,
    ttlMs: number,
    opts: { force?: boolean; now?: number } = {},
  ): Promise<number> {
    const capacity = this.capacityOf(chatId);
    if (capacity === undefined) return 0;
    const place = await this.redis.eval(
      HOLD,
      3,
      ...this.keys(chatId),
      sessionId,
      opts.now ?? Date.now(),
      ttlMs,
      capacity,
      opts.force ? "1" : "0",
    );
    return Number(place);
  }

  /** Frees the session's place (live or in line) at once, for the next one in line. */
  async release(chatId: number, sessionId: string): Promise<void> {
    if (this.capacityOf(chatId) === undefined) return;
    await this.redis.eval(RELEASE, 3, ...this.keys(chatId), sessionId);
  }

  private keys(chatId: number): [string, string, string] {
    const base = `${this.options.prefix}:chat-slots:${chatId}`;
    return [`${base}:live`, `${base}:line`, `${base}:seen`];
  }
}
