import type { Redis } from "ioredis";
import { z } from "zod";
import {
  amendWithLink,
  type HistoryIncident,
  historyIncidentSchema,
  type OpenIncident,
  openIncidentSchema,
} from "./incident.js";
import { addShares, type DayTotals, dailyShares, dayOf, decodeDays, encodeDays } from "./daily.js";
import type { LinkVia } from "./ports.js";
import type { Span } from "./uptime.js";

export interface HistoryLimits {
  /** HISTORY_DAYS: incidents (and watched spans) older than this are dropped. */
  keepMs: number;
  /** HISTORY_MAX_INCIDENTS: at most this many incidents per instance, the newest kept. */
  maxPerInstance: number;
  /** Watch runs further apart than this leave a gap (greenlight was not watching). */
  gapMs: number;
}

/** Watched spans kept at most (one per greenlight restart or outage). */
const MAX_SPANS = 2_000;
/** An operator's reboot counts as an incident's fix for this long. */
const REBOOT_KEEP_MS = 24 * 3_600_000;

const spanSchema = z.object({ from: z.number().int(), to: z.number().int() });
const rebootSchema = z.object({ by: z.string().max(64).optional(), at: z.number().int() });

function parse<T>(schema: z.ZodType<T>, raw: string | null | undefined): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The incident history in Redis, bounded: per instance a sorted set of closed incidents (score:
 * when each began) trimmed to HISTORY_DAYS and HISTORY_MAX_INCIDENTS on every write and expiring
 * HISTORY_DAYS after the last, and its day totals (daily.ts, one string, same bounds); one hash
 * of open incidents; one hash of when each instance was
 * first seen; one list of the spans greenlight watched (newest first). Written by the watch job
 * alone (one at a time), except `linked` and `rebooted`, which only add a fix to an incident.
 */
export class HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly limits: HistoryLimits,
  ) {}

  private incidentsKey = (instance: string) => `${this.prefix}:history:incidents:${instance}`;
  private daysKey = (instance: string) => `${this.prefix}:history:days:${instance}`;
  private rebootKey = (instance: string) => `${this.prefix}:history:reboot:${instance}`;
  private get openKey() {
    return `${this.prefix}:history:open`;
  }
  private get seenKey() {
    return `${this.prefix}:history:seen`;
  }
  private get watchedKey() {
    return `${this.prefix}:history:watched`;
  }

  async markSeen(instance: string, at: number): Promise<void> {
    await this.redis.hsetnx(this.seenKey, instance, String(at));
  }

  async saveOpen(instance: string, open: OpenIncident): Promise<void> {
    await this.redis.hset(this.openKey, `${instance}:${open.kind}`, JSON.stringify(open));
  }

  /** The open incident of that kind, removed (it is being closed). */
  async takeOpen(instance: string, kind: OpenIncident["kind"]): Promise<OpenIncident | undefined> {
    const field = `${instance}:${kind}`;
    const [[, raw]] = (await this.redis
      .multi()
      .hget(this.openKey, field)
      .hdel(this.openKey, field)
      .exec()) as [[unknown, string | null]];
    return parse(openIncidentSchema, raw);
  }

  /**
   * A closed incident, and its share of each day's totals (daily.ts: what the fleet view reads).
   * `counted: false` for an incident rewritten in place (a late link): its days counted already.
   */
  async add(
    instance: string,
    incident: HistoryIncident,
    now = Date.now(),
    counted = true,
  ): Promise<void> {
    const key = this.incidentsKey(instance);
    const daysKey = this.daysKey(instance);
    const { keepMs, maxPerInstance } = this.limits;
    const oldest = dayOf(now - keepMs);
    // Read, add, write: the watch job is the only writer of closed incidents (one at a time).
    const days = counted
      ? addShares(
          decodeDays(await this.redis.get(daysKey), oldest),
          dailyShares(incident, await this.watched(incident.since)),
        )
      : undefined;
    const multi = this.redis
      .multi()
      .zremrangebyscore(key, incident.since, incident.since)
      .zadd(key, incident.since, JSON.stringify(incident))
      .zremrangebyscore(key, "-inf", `(${now - keepMs}`)
      .zremrangebyrank(key, 0, -(maxPerInstance + 1))
      .pexpire(key, keepMs);
    if (days) multi.set(daysKey, encodeDays(days, oldest), "PX", keepMs);
    await multi.exec();
  }

  /** Each instance's day totals, open incidents and first sighting: the fleet view's one read. */
  async fleet(
    instances: readonly string[],
    now = Date.now(),
  ): Promise<
    Map<string, { days: Map<number, DayTotals>; open: OpenIncident[]; firstSeen?: number }>
  > {
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < instances.length; i += MGET_CHUNK) {
      pipeline.mget(...instances.slice(i, i + MGET_CHUNK).map((name) => this.daysKey(name)));
    }
    const chunks = Math.ceil(instances.length / MGET_CHUNK);
    pipeline.hgetall(this.openKey);
    pipeline.hmget(this.seenKey, ...(instances.length > 0 ? instances : ["_"]));
    const results = (await pipeline.exec()) ?? [];
    const stored = results
      .slice(0, chunks)
      .flatMap(([, values]) => (values ?? []) as Array<string | null>);
    const open = openByInstance((results[chunks]?.[1] ?? {}) as Record<string, string>);
    const seen = (results[chunks + 1]?.[1] ?? []) as Array<string | null>;
    const oldest = dayOf(now - this.limits.keepMs);
    return new Map(
      instances.map((name, i) => {
        const firstSeen = seen[i] ? Number(seen[i]) : undefined;
        return [
          name,
          {
            days: decodeDays(stored[i], oldest),
            open: open.get(name) ?? [],
            ...(firstSeen !== undefined && Number.isFinite(firstSeen) ? { firstSeen } : {}),
          },
        ];
      }),
    );
  }

  /** Newest first (by when they began), `offset` skipped, at most `limit`, none older than kept. */
  async incidents(
    instance: string,
    offset = 0,
    limit = this.limits.maxPerInstance,
    now = Date.now(),
  ): Promise<HistoryIncident[]> {
    const raw = await this.redis.zrevrangebyscore(
      this.incidentsKey(instance),
      "+inf",
      now - this.limits.keepMs,
      "LIMIT",
      offset,
      limit,
    );
    return raw.flatMap((line) => parse(historyIncidentSchema, line) ?? []);
  }

  async count(instance: string, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.incidentsKey(instance), now - this.limits.keepMs, "+inf");
  }

  /** Every kept incident, the open ones and first sightings of many instances (one round trip). */
  async many(
    instances: readonly string[],
    sinceMs: number,
  ): Promise<
    Map<string, { incidents: HistoryIncident[]; open: OpenIncident[]; firstSeen?: number }>
  > {
    const pipeline = this.redis.pipeline();
    for (const name of instances) pipeline.zrangebyscore(this.incidentsKey(name), sinceMs, "+inf");
    pipeline.hgetall(this.openKey);
    pipeline.hmget(this.seenKey, ...(instances.length > 0 ? instances : ["_"]));
    const results = (await pipeline.exec()) ?? [];
    const open = openByInstance((results[instances.length]?.[1] ?? {}) as Record<string, string>);
    const seen = (results[instances.length + 1]?.[1] ?? []) as Array<string | null>;
    return new Map(
      instances.map((name, i) => {
        const lines = (results[i]?.[1] ?? []) as string[];
        const firstSeen = seen[i] ? Number(seen[i]) : undefined;
        return [
          name,
          {
            incidents: lines.flatMap((line) => parse(historyIncidentSchema, line) ?? []),
            open: open.get(name) ?? [],
            ...(firstSeen !== undefined && Number.isFinite(firstSeen) ? { firstSeen } : {}),
          },
        ];
      }),
    );
  }

  /** A watch run at `at`: the current watched span grows, or a new one begins after a gap. */
  async watchRun(at: number): Promise<void> {
    const current = parse(spanSchema, await this.redis.lindex(this.watchedKey, 0));
    if (current && at >= current.to && at - current.to <= this.limits.gapMs) {
      await this.redis.lset(this.watchedKey, 0, JSON.stringify({ from: current.from, to: at }));
      return;
    }
    if (current && at < current.to) return;
    await this.redis
      .multi()
      .lpush(this.watchedKey, JSON.stringify({ from: at, to: at }))
      .ltrim(this.watchedKey, 0, MAX_SPANS - 1)
      .exec();
  }

  /** The spans greenlight watched, oldest first, none ended before `sinceMs`. */
  async watched(sinceMs: number): Promise<Span[]> {
    const raw = await this.redis.lrange(this.watchedKey, 0, -1);
    return raw
      .flatMap((line) => parse(spanSchema, line) ?? [])
      .filter((span) => span.to >= sinceMs)
      .reverse();
  }

  /** An operator rebooted the instance: an incident open now ends "fixed by reboot". */
  async rebooted(instance: string, by: string | undefined, at: number): Promise<void> {
    await this.redis.set(
      this.rebootKey(instance),
      JSON.stringify({ ...(by ? { by } : {}), at }),
      "PX",
      REBOOT_KEEP_MS,
    );
  }

  async rebootOf(instance: string): Promise<{ by?: string; at: number } | undefined> {
    return parse(rebootSchema, await this.redis.get(this.rebootKey(instance)));
  }

  /**
   * A link told after the watcher closed the incident (it saw the login first): the newest
   * incident, if it ended by itself within `windowMs`, is fixed by that link.
   */
  async linked(
    instance: string,
    link: { by: string; at: number; via: LinkVia },
    windowMs: number,
  ): Promise<void> {
    const [newest] = await this.incidents(instance, 0, 1, link.at);
    const amended = amendWithLink(newest, link, windowMs);
    // Its days were counted when it closed: a few seconds earlier end is not worth recounting.
    if (amended) await this.add(instance, amended, link.at, false);
  }
}

/** Keys per MGET of the fleet view: 10,000 instances are 10 commands in one pipeline. */
const MGET_CHUNK = 1_000;

function openByInstance(all: Record<string, string>): Map<string, OpenIncident[]> {
  const open = new Map<string, OpenIncident[]>();
  for (const [field, raw] of Object.entries(all)) {
    const name = field.slice(0, field.lastIndexOf(":"));
    const parsed = parse(openIncidentSchema, raw);
    if (parsed) open.set(name, [...(open.get(name) ?? []), parsed]);
  }
  return open;
}
