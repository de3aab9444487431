/**
 * How the fleet's state checks are cut into BullMQ jobs (pure; table-tested in
 * test/unit/alerts/check-shards.test.ts). Each shard is a job scheduler of its own that fires every
 * interval at its own phase, so checks are spread evenly over the interval, and whichever worker
 * is free takes the shard's job: two workers share the fleet, and when one dies its share is in
 * the queue for the other (a shard job it held is re-run once its lock lapses).
 */

/** Instances per shard job: small enough that a shard's checks finish in one timeout. */
export const SHARD_SIZE = 50;
const SCHEDULER_PREFIX = "state-check";

export function shardCount(instances: number, shardSize = SHARD_SIZE): number {
  return instances === 0 ? 0 : Math.ceil(instances / shardSize);
}

/** FNV-1a: a name's shard stays the same while the number of shards does. */
export function shardOf(name: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export interface ShardSchedule {
  id: string;
  shard: number;
  shards: number;
  /** The shard's phase in the interval, at least 1 ms. */
  offsetMs: number;
}

/** The schedulers that should exist for this many instances at this interval. */
export function shardSchedules(instances: number, intervalMs: number): ShardSchedule[] {
  const shards = shardCount(instances);
  return Array.from({ length: shards }, (_, shard) => ({
    id: `${SCHEDULER_PREFIX}-${shards}-${shard}`,
    shard,
    shards,
    offsetMs: Math.max(1, Math.floor((shard * intervalMs) / shards)),
  }));
}

/** Of the schedulers found in Redis, the shard schedulers that no longer belong (fleet resized). */
export function staleSchedulers(existing: readonly string[], wanted: readonly ShardSchedule[]) {
  const keep = new Set(wanted.map((schedule) => schedule.id));
  return existing.filter((id) => id.startsWith(`${SCHEDULER_PREFIX}-`) && !keep.has(id));
}
