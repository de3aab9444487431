import type { Redis } from "ioredis";

// GCRA with reservations in Redis, shared by every process of the bot. The key holds the
// theoretical arrival time (TAT) of the next send; a caller reserves the first free slot and
// waits for it, so waiting callers are served in the order they asked (FIFO), each after one
// Redis call. Redis's own clock (TIME) keeps processes on different hosts consistent.
// Returns the ms to wait for the reserved slot (0: now), or -1 when the first free slot is further
// away than ARGV[3] ms: then nothing is reserved and the caller decides what to do.
const RESERVE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
local interval = tonumber(ARGV[1])
local tolerance = (tonumber(ARGV[2]) - 1) * interval
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), nowMs)
local slot = math.max(nowMs, tat - tolerance)
local wait = slot - nowMs
if wait > tonumber(ARGV[3]) then return -1 end
redis.call('SET', KEYS[1], string.format('%.3f', tat + interval), 'PX', math.ceil(tat + interval - nowMs + 60000))
return math.ceil(wait)
`;

export interface RateLimit {
  /** Time between two sends at the sustained rate. */
  intervalMs: number;
  /** Sends allowed back to back after a quiet spell (1: never two closer than intervalMs). */
  burst: number;
}

/**
 * Reserves the next free slot of the limit kept under `key`: the ms to wait for it, or -1 when
 * it is further away than `maxWaitMs` (nothing reserved then). A reservation moves the key's
 * next free slot past it, so one key must never be booked far ahead on behalf of another limit:
 * callers under two limits reserve the stricter one first, wait, then the other.
 */
export async function reserveSlot(
  redis: Redis,
  key: string,
  limit: RateLimit,
  maxWaitMs: number,
): Promise<number> {
  return Number(await redis.eval(RESERVE, 1, key, limit.intervalMs, limit.burst, maxWaitMs));
}
