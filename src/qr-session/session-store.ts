import type { Redis } from "ioredis";
import {
  type NewSession,
  pairsToObject,
  parseSessionRecord,
  type SessionRecord,
  toHashFields,
} from "./session-record.js";

export type ClaimResult =
  | { claimed: true }
  /** A live session already runs for this instance: it now shows on the new message. `moved` is its record as it was before. */
  | { claimed: false; moved: SessionRecord };

export type Heartbeat =
  | { status: "active"; record: SessionRecord }
  /** The session ended or was replaced: this poller has nothing left to do. */
  | { status: "gone" }
  /** Another poller holds the lease for this session. */
  | { status: "held-elsewhere" }
  /** This poller held the lease, and it lapsed or passed to another: it must stop polling. */
  | { status: "lost" };

/** A renewal: still held, lost (lapsed or someone else's), or the session ended or was replaced. */
export type Renewal = "held" | "lost" | "gone";

// Claims the instance for a new session, or moves the live one to the new message. A session
// whose poller has not been heard of for `staleMs` is dead (its job was lost): replace it. One
// still waiting in the queue for a free slot has no poller yet: it is live until `queuedUntil`.
const CLAIM = `
local current = redis.call('HGET', KEYS[1], 'sessionId')
if current then
  local now = tonumber(ARGV[1])
  local beat = tonumber(redis.call('HGET', KEYS[1], 'lastBeat') or '0')
  local queuedUntil = tonumber(redis.call('HGET', KEYS[1], 'queuedUntil') or '0')
  local waiting = redis.call('HEXISTS', KEYS[1], 'runningSince') == 0 and now < queuedUntil
  if now - beat < tonumber(ARGV[2]) or waiting then
    local before = redis.call('HGETALL', KEYS[1])
    redis.call('HSET', KEYS[1], 'chatId', ARGV[4], 'messageId', ARGV[5], 'deadline', ARGV[6])
    -- The new message is the new asker's: it speaks their language from now on.
    if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'locale', ARGV[7]) end
    redis.call('HDEL', KEYS[1], 'cancelledBy')
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return before
  end
  redis.call('DEL', KEYS[1], KEYS[2])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
redis.call('HSET', KEYS[1], 'lastBeat', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return false
`;

// One poller per session, however many workers run: the lease is renewed by its holder only.
// A poller that held it (ARGV[5] = 1) never takes it again once it lapsed: it may have been
// frozen while a successor started, so it stops and lets the queue hand its job on (fencing).
const HEARTBEAT = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return {'gone'} end
local holder = redis.call('GET', KEYS[2])
if holder ~= ARGV[2] then
  if ARGV[5] == '1' then return {'lost'} end
  if holder then return {'held-elsewhere'} end
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('HSET', KEYS[1], 'lastBeat', ARGV[4])
return {'active', redis.call('HGETALL', KEYS[1])}
`;

// Extends the lease only while the caller still holds it (compare-and-set): between ticks, and
// before each GREEN-API qr call or edit once the last renewal is old.
const RENEW = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return -1 end
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'lastBeat', ARGV[4])
return 1
`;

// Writes fields only while the session is still the one the caller knows.
const UPDATE_IF_CURRENT = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
`;

// The first poller of a session starts its clock: time spent queued does not eat the QR's lifetime.
const START_RUNNING = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return 0 end
if redis.call('HEXISTS', KEYS[1], 'runningSince') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'runningSince', ARGV[2])
local lifetime = tonumber(redis.call('HGET', KEYS[1], 'lifetimeMs') or '0')
if lifetime > 0 then
  redis.call('HSET', KEYS[1], 'deadline', tonumber(ARGV[2]) + lifetime)
  redis.call('PEXPIRE', KEYS[1], lifetime + tonumber(ARGV[3]))
end
return 1
`;

// A claimed session that must wait for a free slot stays claimed (and its record kept) until then.
const MARK_QUEUED = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'queuedUntil', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const FINISH = `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`;

export interface SessionStoreOptions {
  prefix: string;
  /** How long a lease lasts without renewal; also how long a crashed poller blocks a successor. */
  leaseMs: number;
  /** A session not heard of for this long is dead and may be replaced by a new /qr. */
  staleMs: number;
}

/** The QR sessions' shared state in Redis, used by the bot (start, cancel) and workers (poll). */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: SessionStoreOptions,
  ) {}

  private keys(instance: string): [string, string] {
    const base = `${this.options.prefix}:qr-session:${instance}`;
    return [base, `${base}:lease`];
  }

  /** Records expire a while after their deadline, so nothing lingers if every process died. */
  private ttlMs(deadline: number, now: number): number {
    return Math.max(1, deadline - now) + this.options.staleMs;
  }

  /** Throws at once while Redis is unreachable: checked before anything shows on screen. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async claim(session: NewSession, now = Date.now()): Promise<ClaimResult> {
    const reply = (await this.redis.eval(
      CLAIM,
      2,
      ...this.keys(session.instance),
      now,
      this.options.staleMs,
      this.ttlMs(session.deadline, now),
      session.chatId,
      session.messageId,
      session.deadline,
      session.locale ?? "",
      ...toHashFields(session),
    )) as string[] | null;
    if (!reply) return { claimed: true };
    const moved = parseSessionRecord(pairsToObject(reply));
    if (!moved) throw new Error(`corrupt QR session record for ${session.instance}`);
    return { claimed: false, moved };
  }

  async get(instance: string): Promise<SessionRecord | undefined> {
    return parseSessionRecord(await this.redis.hgetall(this.keys(instance)[0]));
  }

  /**
   * Takes or renews the lease and reads the record. `held`: this poller held the lease before
   * (then it is only renewed, never taken again).
   */
  async heartbeat(
    instance: string,
    sessionId: string,
    pollerId: string,
    now = Date.now(),
    held = false,
  ): Promise<Heartbeat> {
    const [status, pairs] = (await this.redis.eval(
      HEARTBEAT,
      2,
      ...this.keys(instance),
      sessionId,
      pollerId,
      this.options.leaseMs,
      now,
      held ? 1 : 0,
    )) as [string, string[]?];
    if (status === "held-elsewhere" || status === "lost") return { status };
    const record =
      status === "active" && pairs ? parseSessionRecord(pairsToObject(pairs)) : undefined;
    return record ? { status: "active", record } : { status: "gone" };
  }

  /** Extends the lease of its holder only (one script, no record read). */
  async renew(
    instance: string,
    sessionId: string,
    pollerId: string,
    now = Date.now(),
  ): Promise<Renewal> {
    const renewed = await this.redis.eval(
      RENEW,
      2,
      ...this.keys(instance),
      sessionId,
      pollerId,
      this.options.leaseMs,
      now,
    );
    return renewed === 1 ? "held" : renewed === 0 ? "lost" : "gone";
  }

  /** Returns false when the session is no longer the current one. */
  async update(
    instance: string,
    sessionId: string,
    fields: Partial<SessionRecord>,
  ): Promise<boolean> {
    const [key] = this.keys(instance);
    const done = await this.redis.eval(
      UPDATE_IF_CURRENT,
      1,
      key,
      sessionId,
      ...toHashFields(fields),
    );
    return done === 1;
  }

  /** Keeps a claimed session that waits in the queue live until `queuedUntil`. */
  async markQueued(
    instance: string,
    sessionId: string,
    queuedUntil: number,
    now = Date.now(),
  ): Promise<boolean> {
    const ttl = this.ttlMs(queuedUntil, now);
    const marked = await this.redis.eval(
      MARK_QUEUED,
      1,
      this.keys(instance)[0],
      sessionId,
      queuedUntil,
      ttl,
    );
    return marked === 1;
  }

  /** Marks the session as taken up by a poller; its deadline now counts from `now`. */
  async startRunning(instance: string, sessionId: string, now = Date.now()): Promise<void> {
    await this.redis.eval(
      START_RUNNING,
      1,
      this.keys(instance)[0],
      sessionId,
      now,
      this.options.staleMs,
    );
  }

  requestCancel(instance: string, sessionId: string, userId: number): Promise<boolean> {
    return this.update(instance, sessionId, { cancelledBy: userId });
  }

  /** Lets the next poller take over at once (on shutdown) instead of after the lease expires. */
  async releaseLease(instance: string, pollerId: string): Promise<void> {
    await this.redis.eval(RELEASE_LEASE, 1, this.keys(instance)[1], pollerId);
  }

  async finish(instance: string, sessionId: string): Promise<boolean> {
    return (await this.redis.eval(FINISH, 2, ...this.keys(instance), sessionId)) === 1;
  }
}
