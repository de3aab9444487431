import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Admission, FailureState, RelayLimits } from "./decisions.js";
import type { Backlog } from "./ports.js";
import { decodeEntry, encodeEntry, type QueuedNotification } from "./relay-entry.js";
import { ENQUEUE, POSTPONE, RELEASE, REMOVE_HEAD, RENEW } from "./relay-scripts.js";

/**
 * The relay's queues in Redis, the one source of truth: every process may take notifications
 * in (the webhook) and forward them (the workers); a restart, a kill -9 or a Sentinel failover
 * loses none that was answered 200, since the 200 comes after the write below.
 *
 * Keys (prefix P):
 *   P:relay:q:<id>       list: the instance's notifications, oldest first (entry format below)
 *   P:relay:due          zset id → when its head may be forwarded next (ms)
 *   P:relay:heads        zset id → when its head came (ms): the oldest age, fleet-wide
 *   P:relay:ibytes       hash id → bytes waiting;  P:relay:bytes, P:relay:count: totals
 *   P:relay:fail:<id>    hash: the failure streak (decisions.ts FailureState)
 *   P:relay:lease:<id>   string: the worker forwarding the instance now (order per instance)
 *   P:relay:dead:<id>    list: dead-lettered entries, kept DEAD_LETTER_TTL_MS after the last one
 *   P:relay:deadcount    hash id → dead-lettered notifications, ever
 *   P:relay:seen:<id>:<sha256>  these bytes were kept (for DUPLICATE_WINDOW_MS)
 * An entry is "<deliveryId>\n<queuedAt>\n<contentType>\n" then the body, byte for byte.
 */

/**
 * Identical bytes of one instance within this window are kept once: GREEN-API sends a
 * notification again when its 200 came late, and that late copy must not be forwarded after a
 * later notification. Its marker (a key of ~80 bytes) lives this long.
 */
export const DUPLICATE_WINDOW_MS = 5 * 60_000;

/** Dead letters stay this long after the last one of the instance (README says so). */
export const DEAD_LETTER_TTL_MS = 7 * 86_400_000;

export interface HeadRemoved {
  /** Notifications left; -1: the head was another one (nothing removed). */
  left: number;
  /** The lease was still this holder's (and is renewed). */
  leaseHeld: boolean;
  /** A failure streak of the instance is on record. */
  failing: boolean;
}

export class RelayStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: {
      limits: RelayLimits;
      /**
       * Sentinel: wait this long for a replica to hold the write before the 200, so a failover
       * right after it does not lose the notification (Sentinel deployments have replicas).
       */
      replicaAckMs?: number;
    },
  ) {}

  private key(...parts: string[]): string {
    return [this.prefix, "relay", ...parts].join(":");
  }

  /**
   * Keeps a notification in the instance's queue, or says which cap refused it; "duplicate":
   * these very bytes were kept a moment ago (not kept twice, and not behind a later one).
   */
  async enqueue(
    idInstance: string,
    entry: Omit<QueuedNotification, "size">,
  ): Promise<Admission | "duplicate" | "unreplicated"> {
    const raw = encodeEntry(entry);
    const digest = createHash("sha256").update(entry.body).digest("base64url");
    const result = Number(
      await this.redis.eval(
        ENQUEUE,
        7,
        this.key("q", idInstance),
        this.key("ibytes"),
        this.key("bytes"),
        this.key("count"),
        this.key("heads"),
        this.key("due"),
        this.key("seen", idInstance, digest),
        idInstance,
        raw,
        entry.queuedAt,
        this.options.limits.maxPerInstance,
        this.options.limits.maxBytes,
        DUPLICATE_WINDOW_MS,
      ),
    );
    if (result === 1) return "instance-full";
    if (result === 2) return "bytes-full";
    if (!(await this.onAReplica())) return "unreplicated";
    return result === 3 ? "duplicate" : "accept";
  }

  /**
   * With Sentinel, whether a replica holds this connection's writes (WAIT). Without one, a
   * failover loses them: a primary that Sentinel has just replaced (its replica promoted) still
   * takes writes until it is demoted, then drops them. So no replica within replicaAckMs means
   * no 200: GREEN-API sends the notification again (the marker above keeps it once). Sources:
   * https://github.com/redis/redis/issues/4819 (writes to the old master lost after a manual
   * failover), https://redis.io/commands/wait ("check that the returned value is equal or greater").
   */
  private async onAReplica(): Promise<boolean> {
    if (!this.options.replicaAckMs) return true;
    const acks = await this.redis.call("WAIT", "1", String(this.options.replicaAckMs));
    return Number(acks) >= 1;
  }

  /** Instances whose head may be forwarded now, the longest waiting first. */
  async dueInstances(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key("due"), "-inf", now, "LIMIT", 0, limit);
  }

  async head(idInstance: string): Promise<QueuedNotification | undefined> {
    const raw = await this.redis.lindexBuffer(this.key("q", idInstance), 0);
    return raw ? decodeEntry(raw) : undefined;
  }

  /**
   * Delivered: gone from Redis, and the holder's lease renewed, in one trip. `left`: how many
   * wait still (-1: it was no longer the head); `failing`: a failure streak is on record.
   */
  async delivered(
    idInstance: string,
    deliveryId: string,
    now: number,
    lease: { holder: string; ms: number },
  ): Promise<HeadRemoved> {
    return this.removeHead(idInstance, deliveryId, now, "delivered", lease);
  }

  /** Too old to retry: moved to the instance's dead letters and counted. */
  async deadLetter(
    idInstance: string,
    deliveryId: string,
    now: number,
    lease: { holder: string; ms: number } = { holder: "", ms: 1 },
  ): Promise<HeadRemoved> {
    return this.removeHead(idInstance, deliveryId, now, "dead", lease);
  }

  private async removeHead(
    idInstance: string,
    deliveryId: string,
    now: number,
    mode: "delivered" | "dead",
    lease: { holder: string; ms: number },
  ): Promise<HeadRemoved> {
    const [left, held, failing] = (await this.redis.eval(
      REMOVE_HEAD,
      10,
      this.key("q", idInstance),
      this.key("ibytes"),
      this.key("bytes"),
      this.key("count"),
      this.key("heads"),
      this.key("due"),
      this.key("dead", idInstance),
      this.key("deadcount"),
      this.key("lease", idInstance),
      this.key("fail", idInstance),
      idInstance,
      deliveryId,
      now,
      mode,
      DEAD_LETTER_TTL_MS,
      lease.holder,
      lease.ms,
    )) as [number, number, number];
    return { left: Number(left), leaseHeld: Number(held) === 1, failing: Number(failing) === 1 };
  }

  async postpone(idInstance: string, at: number): Promise<void> {
    await this.redis.eval(POSTPONE, 1, this.key("due"), idInstance, at);
  }

  /** The instance is this worker's to forward for `ms` (order per instance across workers). */
  async lease(idInstance: string, holder: string, ms: number): Promise<boolean> {
    const ok = await this.redis.set(this.key("lease", idInstance), holder, "PX", ms, "NX");
    return ok === "OK";
  }

  async renew(idInstance: string, holder: string, ms: number): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.key("lease", idInstance), holder, ms)) === 1;
  }

  async release(idInstance: string, holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key("lease", idInstance), holder);
  }

  async failure(idInstance: string): Promise<FailureState> {
    const fields = await this.redis.hgetall(this.key("fail", idInstance));
    const since = Number(fields.since);
    return {
      ...(fields.since && Number.isFinite(since) ? { failingSince: since } : {}),
      failures: Number(fields.failures ?? 0) || 0,
      alerted: fields.alerted === "1",
    };
  }

  async setFailure(idInstance: string, state: FailureState): Promise<void> {
    const key = this.key("fail", idInstance);
    if (state.failures === 0 && !state.alerted) {
      await this.redis.del(key);
      return;
    }
    await this.redis.hset(key, {
      since: String(state.failingSince ?? Date.now()),
      failures: String(state.failures),
      alerted: state.alerted ? "1" : "0",
    });
  }

  /** One instance's backlog, for /status. */
  async backlogOf(idInstance: string): Promise<Backlog> {
    const [count, bytes, oldest, since, dead] = await Promise.all([
      this.redis.llen(this.key("q", idInstance)),
      this.redis.hget(this.key("ibytes"), idInstance),
      this.redis.zscore(this.key("heads"), idInstance),
      this.redis.hget(this.key("fail", idInstance), "since"),
      this.redis.hget(this.key("deadcount"), idInstance),
    ]);
    return {
      count,
      bytes: Number(bytes ?? 0),
      ...(oldest !== null ? { oldestAt: Number(oldest) } : {}),
      ...(since !== null ? { failingSince: Number(since) } : {}),
      deadLettered: Number(dead ?? 0),
    };
  }

  /** Every instance together, for the metrics: no per-instance label. */
  async totals(): Promise<{ count: number; bytes: number; oldestAt?: number; dead: number }> {
    const [count, bytes, oldest, dead] = await Promise.all([
      this.redis.get(this.key("count")),
      this.redis.get(this.key("bytes")),
      this.redis.zrange(this.key("heads"), "0", "0", "WITHSCORES"),
      this.redis.hvals(this.key("deadcount")),
    ]);
    return {
      count: Number(count ?? 0),
      bytes: Number(bytes ?? 0),
      ...(oldest[1] !== undefined ? { oldestAt: Number(oldest[1]) } : {}),
      dead: dead.reduce((sum, n) => sum + Number(n), 0),
    };
  }

  /** The dead letters kept for an instance (oldest first); for operators and tests. */
  async deadLetters(idInstance: string): Promise<QueuedNotification[]> {
    const raws = await this.redis.lrangeBuffer(this.key("dead", idInstance), 0, -1);
    return raws.map(decodeEntry).filter((entry): entry is QueuedNotification => !!entry);
  }
}

/** The port /status reads (any process, Redis alone): one instance's backlog. */
export function backlogReader(
  redis: Redis,
  prefix: string,
): (idInstance: string) => Promise<Backlog> {
  const store = new RelayStore(redis, prefix, { limits: { maxPerInstance: 0, maxBytes: 0 } });
  return (idInstance) => store.backlogOf(idInstance);
}
