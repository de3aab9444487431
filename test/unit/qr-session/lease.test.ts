import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeaseGuard } from "../../../src/qr-session/lease-guard.js";
import { SessionStore } from "../../../src/qr-session/session-store.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";
import { pause } from "../../kit/wait.js";

const LEASE_MS = 600;

describe("the session lease: one poller, and a poller that lost it stops (fencing)", () => {
  const prefix = uniquePrefix("lease");
  let redis: Redis;
  let store: SessionStore;
  let n = 0;
  beforeAll(() => {
    redis = new Redis(redisUrl());
    store = new SessionStore(redis, { prefix, leaseMs: LEASE_MS, staleMs: 60_000 });
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });

  /** A claimed session of its own instance. */
  async function session(): Promise<{ instance: string; sessionId: string }> {
    n += 1;
    const instance = `i${n}`;
    const sessionId = `s${n}`;
    const now = Date.now();
    await store.claim({
      sessionId,
      instance,
      startedBy: 1,
      startedAt: now,
      deadline: now + 60_000,
      chatId: 1,
      messageId: 10,
    });
    return { instance, sessionId };
  }
  const holder = (instance: string) => redis.get(`${prefix}:qr-session:${instance}:lease`);

  it("a first heartbeat takes a free lease; another poller finds it held; a lapsed one goes to the next", async () => {
    const { instance, sessionId } = await session();
    expect((await store.heartbeat(instance, sessionId, "a")).status).toBe("active");
    expect((await store.heartbeat(instance, sessionId, "b")).status).toBe("held-elsewhere");
    await pause(LEASE_MS + 100);
    expect((await store.heartbeat(instance, sessionId, "b")).status).toBe("active");
    expect(await holder(instance)).toBe("b");
  });

  it("the poller that held it is refused once it lapsed, even while nobody took it", async () => {
    const { instance, sessionId } = await session();
    await store.heartbeat(instance, sessionId, "a");
    await pause(LEASE_MS + 100);
    expect((await store.heartbeat(instance, sessionId, "a", Date.now(), true)).status).toBe("lost");
    expect(await store.renew(instance, sessionId, "a")).toBe("lost");
    expect(await holder(instance)).toBeNull();
  });

  it("renewal is compare-and-set: only the holder extends it, and an ended session says gone", async () => {
    const { instance, sessionId } = await session();
    await store.heartbeat(instance, sessionId, "a");
    expect(await store.renew(instance, sessionId, "b")).toBe("lost");
    expect(await store.renew(instance, sessionId, "a")).toBe("held");
    expect(await redis.pttl(`${prefix}:qr-session:${instance}:lease`)).toBeGreaterThan(
      LEASE_MS - 200,
    );
    await store.finish(instance, sessionId);
    expect(await store.renew(instance, sessionId, "a")).toBe("gone");
  });

  it("the guard keeps a lease through a tick far longer than the lease (a hung GREEN-API call)", async () => {
    const { instance, sessionId } = await session();
    const guard = new LeaseGuard(store, instance, sessionId, "a", LEASE_MS);
    const sentAt = Date.now();
    await store.heartbeat(instance, sessionId, "a", sentAt);
    guard.held(sentAt);
    try {
      await pause(4 * LEASE_MS);
      expect(await holder(instance)).toBe("a");
      expect(await guard.check()).toBe("held");
      // Another poller never got in meanwhile.
      expect((await store.heartbeat(instance, sessionId, "b")).status).toBe("held-elsewhere");
    } finally {
      guard.stop();
    }
  });

  it("a guard that woke after its lease passed on is refused by Redis before acting, and aborts its signal", async () => {
    const { instance, sessionId } = await session();
    let clock = Date.now();
    const guard = new LeaseGuard(store, instance, sessionId, "a", LEASE_MS, () => clock);
    await store.heartbeat(instance, sessionId, "a", clock);
    guard.held(clock);
    guard.stop(); // frozen: no renewals
    expect(await guard.check()).toBe("held"); // recent: answered from memory
    await pause(LEASE_MS + 100);
    expect((await store.heartbeat(instance, sessionId, "b")).status).toBe("active");
    clock = Date.now(); // it wakes: its clock has jumped past the lease
    expect(guard.signal.aborted).toBe(false);
    expect(await guard.check()).toBe("lost");
    expect(guard.signal.aborted).toBe(true);
    expect(guard.lostStatus).toBe("lost");
    expect(await holder(instance)).toBe("b");
  });
});
