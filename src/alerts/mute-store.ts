import type { Redis } from "ioredis";
import { z } from "zod";
import { parseJson } from "./watch-state.js";

const muteSchema = z.object({ until: z.number().int(), by: z.number().int() });

/**
 * Mutes silence an instance's alerts until a moment, for planned work (`/mute shop 2h`). One Redis
 * hash per bot; an expired mute reads as absent and is removed the next time it is read.
 *
 * Construct with the app's Redis connection and REDIS_PREFIX: `new MuteStore(redis, prefix)`.
 */
export class MuteStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = `${prefix}:alerts:mutes`;
  }

  async mute(instance: string, untilMs: number, byUserId: number): Promise<void> {
    await this.redis.hset(this.key, instance, JSON.stringify({ until: untilMs, by: byUserId }));
  }

  /** True if the instance was muted. */
  async unmute(instance: string): Promise<boolean> {
    const live = await this.mutedUntil(instance);
    await this.redis.hdel(this.key, instance);
    return live !== undefined;
  }

  async mutedUntil(instance: string): Promise<number | undefined> {
    const mute = parseJson(muteSchema, await this.redis.hget(this.key, instance));
    if (mute && mute.until > this.now()) return mute.until;
    if (mute) await this.redis.hdel(this.key, instance);
    return undefined;
  }

  /** Instance → muted until (ms), live mutes only. */
  async all(): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(this.key);
    const live = new Map<string, number>();
    for (const [instance, value] of Object.entries(raw)) {
      const mute = parseJson(muteSchema, value);
      if (mute && mute.until > this.now()) live.set(instance, mute.until);
    }
    return live;
  }
}
