import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit } from "../../../src/relay/decisions.js";
import { deliveryIdOf } from "../../../src/relay/relay-intake.js";
import { encodeEntry } from "../../../src/relay/relay-entry.js";
import { RelayStore } from "../../../src/relay/relay-store.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";

const entry = (n: number, body: Buffer | string = `{"n":${n}}`, at = 1_000 + n) => ({
  deliveryId: `d${n}`,
  queuedAt: at,
  contentType: "application/json",
  body: Buffer.from(body),
});

describe("the relay's Redis store", () => {
  const prefix = uniquePrefix("relay-store");
  let redis: Redis;
  let run = 0;
  const store = (limits = { maxPerInstance: 100, maxBytes: 1_000_000 }) =>
    new RelayStore(redis, `${prefix}-${(run += 1)}`, { limits });
  beforeAll(() => {
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });

  it("the Lua enqueue decides exactly as decisions.ts `admit`, for the same table", async () => {
    // Bodies of one length, each its own (identical bytes would be kept once: next test).
    const body = (i: number) => String(i).padEnd(60, "x");
    const size = encodeEntry(entry(99, body(99))).length;
    const limits = { maxPerInstance: 3, maxBytes: 4 * size };
    // [instance count before, total bytes before (in entries of `size`)] → both must agree
    const rows: Array<[number, number]> = [
      [0, 0],
      [2, 2],
      [3, 3],
      [1, 4],
      [0, 3],
    ];
    const seen = new Set<string>();
    for (const [count, fill] of rows) {
      const s = store(limits);
      // `fill` entries in total, `count` of them on instance "a", the rest on others.
      for (let i = 0; i < fill; i += 1) {
        const id = i < count ? "a" : `other${i}`;
        expect(await s.enqueue(id, entry(i, body(i)))).toBe("accept");
      }
      for (let i = fill; i < count; i += 1) {
        await s.enqueue("a", entry(i, body(i)));
      }
      const before = await s.totals();
      const instanceCount = (await s.backlogOf("a")).count;
      const expected = admit({ instanceCount, totalBytes: before.bytes }, size, limits);
      expect(await s.enqueue("a", entry(99, body(99)))).toBe(expected);
      seen.add(expected);
    }
    expect([...seen].sort()).toEqual(["accept", "bytes-full", "instance-full"]);
  });

  it("keeps the same bytes of one instance once (GREEN-API sending again what it got no 200 for in time)", async () => {
    const s = store();
    expect(await s.enqueue("a", entry(1, "same"))).toBe("accept");
    expect(await s.enqueue("a", { ...entry(2, "same"), deliveryId: "other" })).toBe("duplicate");
    expect(await s.enqueue("b", entry(3, "same"))).toBe("accept"); // another instance's own
    expect(await s.enqueue("a", entry(4, "different"))).toBe("accept");
    expect((await s.backlogOf("a")).count).toBe(2);
  });

  it("with replicaAckMs and no replica to hold a write, says unreplicated (no 200), a copy sent again too", async () => {
    // The test Redis has no replica: WAIT 1 answers 0 after the wait, as a primary that
    // Sentinel has just replaced does (its replica promoted away from it).
    const s = new RelayStore(redis, `${prefix}-${(run += 1)}`, {
      limits: { maxPerInstance: 100, maxBytes: 1_000_000 },
      replicaAckMs: 20,
    });
    expect(await s.enqueue("a", entry(1, "kept?"))).toBe("unreplicated");
    expect(await s.enqueue("a", { ...entry(2, "kept?"), deliveryId: "again" })).toBe(
      "unreplicated",
    );
  });

  it("a notification's delivery id is its instance and bytes: a copy sent again keeps it", () => {
    const id = deliveryIdOf("1101", Buffer.from('{"idMessage":"A"}'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(deliveryIdOf("1101", Buffer.from('{"idMessage":"A"}'))).toBe(id);
    expect(deliveryIdOf("1101", Buffer.from('{"idMessage":"B"}'))).not.toBe(id);
    expect(deliveryIdOf("1102", Buffer.from('{"idMessage":"A"}'))).not.toBe(id);
  });

  it("keeps each instance's notifications in order, byte for byte, and removes only the head it was told", async () => {
    const s = store();
    const odd = Buffer.from([0x7b, 0x0a, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x7d]); // newlines, NUL, non-UTF-8
    await s.enqueue("a", {
      ...entry(1),
      body: odd,
      contentType: "application/json; charset=utf-8",
    });
    await s.enqueue("a", entry(2));
    await s.enqueue("b", entry(3));
    const head = await s.head("a");
    expect(head?.deliveryId).toBe("d1");
    expect(head?.body.equals(odd)).toBe(true);
    expect(head?.contentType).toBe("application/json; charset=utf-8");
    const lease = { holder: "w", ms: 10_000 };
    // Not the head: nothing removed.
    expect(await s.delivered("a", "d2", 5_000, lease)).toMatchObject({ left: -1 });
    expect(await s.delivered("a", "d1", 5_000, lease)).toEqual({
      left: 1,
      leaseHeld: false,
      failing: false,
    });
    expect((await s.head("a"))?.deliveryId).toBe("d2");
    expect(await s.backlogOf("a")).toMatchObject({ count: 1, oldestAt: 1_002 });
    await s.lease("a", "w", 50);
    await s.setFailure("a", { failingSince: 1, failures: 1, alerted: false });
    // Removed, the lease renewed (it outlives its first 50 ms), the streak reported.
    expect(await s.delivered("a", "d2", 5_000, lease)).toEqual({
      left: 0,
      leaseHeld: true,
      failing: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await s.lease("a", "other", 1_000)).toBe(false);
    await s.setFailure("a", { failures: 0, alerted: false });
    expect(await s.backlogOf("a")).toEqual({ count: 0, bytes: 0, deadLettered: 0 });
    expect(await s.totals()).toMatchObject({ count: 1, oldestAt: 1_003 });
  });

  it("due instances: a new one is due at once; a postponed one waits; an emptied one is gone", async () => {
    const s = store();
    await s.enqueue("a", entry(1, "a", 100));
    await s.enqueue("b", entry(2, "b", 200));
    expect((await s.dueInstances(1_000, 10)).sort()).toEqual(["a", "b"]);
    await s.postpone("a", 5_000);
    // A new notification does not cut an instance's backoff short.
    await s.enqueue("a", entry(3, "a", 300));
    expect(await s.dueInstances(1_000, 10)).toEqual(["b"]);
    expect((await s.dueInstances(5_000, 10)).sort()).toEqual(["a", "b"]);
    await s.delivered("b", "d2", 1_000, { holder: "w", ms: 1_000 });
    await s.postpone("b", 10); // XX: an emptied instance is not brought back
    expect(await s.dueInstances(10_000, 10)).toEqual(["a"]);
  });

  it("one lease per instance: a second holder is refused until it is released or lapses", async () => {
    const s = store();
    expect(await s.lease("a", "w1", 10_000)).toBe(true);
    expect(await s.lease("a", "w2", 10_000)).toBe(false);
    expect(await s.renew("a", "w2", 10_000)).toBe(false);
    await s.release("a", "w2"); // not w2's: still w1's
    expect(await s.lease("a", "w2", 10_000)).toBe(false);
    await s.release("a", "w1");
    expect(await s.lease("a", "w2", 50)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await s.lease("a", "w1", 10_000)).toBe(true);
  });

  it("a dead letter leaves the queue, is kept with its bytes, and is counted", async () => {
    const s = store();
    await s.enqueue("a", entry(1, "first"));
    await s.enqueue("a", entry(2, "second"));
    expect((await s.deadLetter("a", "d1", 9_000)).left).toBe(1);
    const dead = await s.deadLetters("a");
    expect(dead.map((d) => d.body.toString())).toEqual(["first"]);
    expect(await s.backlogOf("a")).toMatchObject({ count: 1, deadLettered: 1 });
    expect(await s.totals()).toMatchObject({ count: 1, dead: 1 });
  });

  it("remembers a failure streak and forgets it when healthy", async () => {
    const s = store();
    await s.setFailure("a", { failingSince: 42, failures: 3, alerted: true });
    expect(await s.failure("a")).toEqual({ failingSince: 42, failures: 3, alerted: true });
    expect((await s.backlogOf("a")).failingSince).toBe(42);
    await s.setFailure("a", { failures: 0, alerted: false });
    expect(await s.failure("a")).toEqual({ failures: 0, alerted: false });
  });
});
