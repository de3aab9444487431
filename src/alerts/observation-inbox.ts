import type { Redis } from "ioredis";
import { z } from "zod";
import { stateInstanceSchema } from "../green-api/schemas.js";
import type { Observation } from "./transitions.js";

const entrySchema = z.tuple([
  z.string(),
  z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("state"),
      state: stateInstanceSchema,
      at: z.number().int(),
      source: z.enum(["poll", "webhook"]),
    }),
    z.object({ kind: z.literal("unreachable"), at: z.number().int() }),
    z.object({ kind: z.literal("phoneSeen"), at: z.number().int() }),
    z.object({
      kind: z.literal("queue"),
      size: z.number().int().nonnegative(),
      head: z.string().max(128).optional(),
      at: z.number().int(),
    }),
  ]),
]);

/** Entries taken per Redis call, and calls per drain: a drain always ends. */
const BATCH = 1_000;
const MAX_BATCHES = 50;

/**
 * Observations made by shard jobs on any worker, waiting for the single watch job (a Redis list,
 * oldest first). Shard jobs only append; the watch job alone takes, so the watch records keep
 * one writer however many workers check.
 */
export class ObservationInbox {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:alerts:observed`;
  }

  async push(observations: ReadonlyArray<readonly [string, Observation]>): Promise<void> {
    if (observations.length === 0) return;
    await this.redis.rpush(this.key, ...observations.map((entry) => JSON.stringify(entry)));
  }

  /** Everything waiting (up to 50,000), oldest first; entries of an unknown shape are dropped. */
  async drain(): Promise<Array<readonly [string, Observation]>> {
    const out: Array<readonly [string, Observation]> = [];
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const raw = await this.redis.lpop(this.key, BATCH);
      if (!raw || raw.length === 0) break;
      for (const text of raw) {
        try {
          const parsed = entrySchema.safeParse(JSON.parse(text));
          if (parsed.success) out.push(parsed.data as readonly [string, Observation]);
        } catch {
          // not JSON: dropped
        }
      }
      if (raw.length < BATCH) break;
    }
    return out;
  }
}
