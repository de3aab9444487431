import type { Redis } from "ioredis";
import {
  type AlertMessage,
  alertMessageSchema,
  type InstanceWatch,
  instanceWatchSchema,
  type MessageRef,
  parseJson,
} from "./watch-state.js";

/** Alert messages older than this are no longer edited (Telegram allows editing for 48 h in groups anyway). */
const MESSAGE_TTL_MS = 14 * 24 * 3_600_000;

const refKey = (ref: MessageRef) => `${ref.chatId}/${ref.messageId}`;

function parseRef(text: string): MessageRef | undefined {
  const match = /^(-?\d+)\/(\d+)$/.exec(text);
  return match ? { chatId: Number(match[1]), messageId: Number(match[2]) } : undefined;
}

/**
 * The watcher's memory in Redis: per-instance watch records (one hash), the alert messages it
 * sent (one key each, expiring), the set of messages whose text is out of date, and when the
 * last run finished. Only the watcher job writes here, one job at a time.
 */
export class AlertStore {
  private readonly keys: { watch: string; dirty: string; lastRun: string; message: string };

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    const base = `${prefix}:alerts`;
    this.keys = {
      watch: `${base}:watch`,
      dirty: `${base}:dirty`,
      lastRun: `${base}:last-run`,
      message: `${base}:message`,
    };
  }

  async watches(instances: readonly string[]): Promise<Map<string, InstanceWatch | undefined>> {
    if (instances.length === 0) return new Map();
    const raw = await this.redis.hmget(this.keys.watch, ...instances);
    return new Map(
      instances.map((name, index) => [name, parseJson(instanceWatchSchema, raw[index])]),
    );
  }

  async saveWatches(watches: ReadonlyMap<string, InstanceWatch>): Promise<void> {
    if (watches.size === 0) return;
    const fields = [...watches].flatMap(([name, watch]) => [name, JSON.stringify(watch)]);
    await this.redis.hset(this.keys.watch, ...fields);
  }

  async message(ref: MessageRef): Promise<AlertMessage | undefined> {
    return parseJson(alertMessageSchema, await this.redis.get(this.messageKey(ref)));
  }

  async saveMessage(message: AlertMessage): Promise<void> {
    await this.redis.set(this.messageKey(message), JSON.stringify(message), "PX", MESSAGE_TTL_MS);
  }

  async markDirty(refs: readonly MessageRef[]): Promise<void> {
    if (refs.length > 0) await this.redis.sadd(this.keys.dirty, ...refs.map(refKey));
  }

  async dirty(): Promise<MessageRef[]> {
    const members = await this.redis.smembers(this.keys.dirty);
    return members.flatMap((member) => parseRef(member) ?? []);
  }

  async clean(ref: MessageRef): Promise<void> {
    await this.redis.srem(this.keys.dirty, refKey(ref));
  }

  async setLastRun(at: number): Promise<void> {
    await this.redis.set(this.keys.lastRun, String(at));
  }

  async lastRun(): Promise<number | undefined> {
    const raw = await this.redis.get(this.keys.lastRun);
    const at = Number(raw);
    return raw && Number.isFinite(at) ? at : undefined;
  }

  private messageKey(ref: MessageRef): string {
    return `${this.keys.message}:${refKey(ref)}`;
  }
}
