/**
 * The relay store's Lua scripts (relay-store.ts has the keys they touch): each runs atomically in
 * Redis, so the caps, the order and the lease hold whatever the processes do.
 */

/**
 * Mirrors decisions.ts `admit`; 0 accept, 1 instance-full, 2 bytes-full, 3 duplicate: the same
 * bytes of the same instance were kept within DUPLICATE_WINDOW_MS (KEYS[7]): GREEN-API sending
 * again a notification whose 200 it did not get in time, kept once.
 */
export const ENQUEUE = `
local ttl = redis.call('PTTL', KEYS[7])
if ttl > 0 then
  -- Rewritten as it is: a write of this connection, so that WAIT covers the marker too.
  redis.call('PEXPIRE', KEYS[7], ttl)
  return 3
end
local n = redis.call('LLEN', KEYS[1])
if n >= tonumber(ARGV[4]) then return 1 end
local size = string.len(ARGV[2])
local total = tonumber(redis.call('GET', KEYS[3]) or '0')
if total + size > tonumber(ARGV[5]) then return 2 end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[1], size)
redis.call('INCRBY', KEYS[3], size)
redis.call('INCR', KEYS[4])
if n == 0 then redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1]) end
redis.call('ZADD', KEYS[6], 'NX', ARGV[3], ARGV[1])
redis.call('SET', KEYS[7], '1', 'PX', ARGV[6])
return 0`;

/**
 * Removes the head if it is still the given delivery (a worker whose lease lapsed must not pop
 * another's); ARGV[4] "dead" keeps it in the dead letters. In the same trip it renews the lease
 * of ARGV[6] (KEYS[9]) for ARGV[7] ms. Returns {left (-1: not the head), lease held (1/0),
 * failure streak recorded (1/0)}.
 */
export const REMOVE_HEAD = `
local held = 0
if redis.call('GET', KEYS[9]) == ARGV[6] then
  redis.call('PEXPIRE', KEYS[9], ARGV[7])
  held = 1
end
local failing = redis.call('EXISTS', KEYS[10])
local head = redis.call('LINDEX', KEYS[1], 0)
local tag = ARGV[2] .. '\\n'
if not head or string.sub(head, 1, string.len(tag)) ~= tag then return {-1, held, failing} end
redis.call('LPOP', KEYS[1])
local size = string.len(head)
if redis.call('HINCRBY', KEYS[2], ARGV[1], -size) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
redis.call('DECRBY', KEYS[3], size)
redis.call('DECR', KEYS[4])
if ARGV[4] == 'dead' then
  redis.call('RPUSH', KEYS[7], head)
  redis.call('PEXPIRE', KEYS[7], ARGV[5])
  redis.call('HINCRBY', KEYS[8], ARGV[1], 1)
end
local nxt = redis.call('LINDEX', KEYS[1], 0)
if nxt then
  local a = string.find(nxt, '\\n', 1, true)
  local b = string.find(nxt, '\\n', a + 1, true)
  redis.call('ZADD', KEYS[5], tonumber(string.sub(nxt, a + 1, b - 1)), ARGV[1])
  redis.call('ZADD', KEYS[6], ARGV[3], ARGV[1])
else
  redis.call('ZREM', KEYS[5], ARGV[1])
  redis.call('ZREM', KEYS[6], ARGV[1])
end
return {redis.call('LLEN', KEYS[1]), held, failing}`;

export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Moves a waiting instance's next try (XX: never brings back one that was emptied meanwhile). */
export const POSTPONE = `return redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])`;
