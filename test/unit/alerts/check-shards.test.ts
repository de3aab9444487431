import { describe, expect, it } from "vitest";
import {
  SHARD_SIZE,
  shardCount,
  shardOf,
  shardSchedules,
  staleSchedulers,
} from "../../../src/alerts/check-shards.js";

describe("state checks cut into shard jobs (pure)", () => {
  it.each([
    [0, 0],
    [1, 1],
    [SHARD_SIZE, 1],
    [SHARD_SIZE + 1, 2],
    [10_000, 200],
  ])("%i instances → %i shards", (instances, shards) => {
    expect(shardCount(instances)).toBe(shards);
  });

  it("spreads shards evenly over the interval, the first at once", () => {
    const schedules = shardSchedules(200, 60_000);
    expect(schedules.map((s) => s.offsetMs)).toEqual([1, 15_000, 30_000, 45_000]);
    expect(new Set(schedules.map((s) => s.id)).size).toBe(4);
    expect(schedules.every((s) => s.shards === 4)).toBe(true);
  });

  it("gives each name one shard, stable, and fills shards about evenly", () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `i${1101000000 + i}`);
    const sizes = new Array<number>(200).fill(0);
    for (const name of names) sizes[shardOf(name, 200)]! += 1;
    expect(shardOf("shop", 7)).toBe(shardOf("shop", 7));
    expect(Math.max(...sizes)).toBeLessThan(2 * SHARD_SIZE);
    expect(Math.min(...sizes)).toBeGreaterThan(SHARD_SIZE / 2);
  });

  it("removes the schedulers of an older fleet size, and only shard schedulers", () => {
    const wanted = shardSchedules(60, 60_000); // 2 shards
    const existing = ["state-check-1-0", "state-check-2-0", "state-check-2-1", "other"];
    expect(staleSchedulers(existing, wanted)).toEqual(["state-check-1-0"]);
  });
});
