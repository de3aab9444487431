import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { InstanceRegistry } from "../../../src/config/instances.js";
import { RelayIntake } from "../../../src/relay/relay-intake.js";
import { RelayStore } from "../../../src/relay/relay-store.js";
import { RelayWorker } from "../../../src/relay/relay-worker.js";
import { RelayTargets } from "../../../src/relay/targets.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { FakeAppEndpoint } from "../../fakes/fake-app-endpoint.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";
import { relayedMessage, relayedNumberOf } from "../../fakes/green-api-notifications.js";

const INSTANCES = 12;
const PER_INSTANCE = 8;

const counters = () => ({
  forwarded: 0,
  relayForwarded() {
    this.forwarded += 1;
  },
  relayFailed() {},
  relayDeadLettered() {},
  relayRefused() {},
});

describe("webhook relay: several workers on one Redis", () => {
  const prefix = uniquePrefix("relay-workers");
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await deleteKeysWithPrefix(prefix);
  });

  it("two workers share the forwarding; each instance's notifications still arrive in order, once", async () => {
    const app = new FakeAppEndpoint({ delayMs: 15 });
    const url = await app.start();
    cleanup.push(() => app.stop());
    const ids = Array.from({ length: INSTANCES }, (_, i) => String(1102000000 + i));
    const instances = new InstanceRegistry(
      ids.map((idInstance, i) => ({
        name: `i${i}`,
        idInstance,
        apiTokenInstance: "t".repeat(50),
        apiUrl: "http://127.0.0.1:1",
      })),
    );
    const logger = createLogger({
      level: "silent",
      redactor: new Redactor([]),
      destination: { write: () => undefined },
    });
    const targets = new RelayTargets({ instances, fallback: { url } });
    const worker = (name: string) => {
      const redis = new Redis(redisUrl());
      const store = new RelayStore(redis, prefix, {
        limits: { maxPerInstance: 1_000, maxBytes: 10_000_000 },
      });
      const count = counters();
      const w = new RelayWorker(
        { store, targets, instances, counters: count, logger },
        {
          holder: name,
          concurrency: 3,
          timeoutMs: 2_000,
          maxAgeMs: 60_000,
          alertAfterMs: 60_000,
          idlePollMs: 20,
          batch: 2,
        },
      );
      cleanup.push(() => redis.disconnect());
      cleanup.push(() => w.stop());
      return { store, count, w };
    };
    const a = worker("a");
    const b = worker("b");
    const intake = new RelayIntake({ store: a.store, targets, counters: a.count, logger });
    for (let n = 1; n <= PER_INSTANCE; n += 1) {
      for (const id of ids) {
        expect(
          await intake.accept(id, Buffer.from(relayedMessage(id, n)), "application/json"),
        ).toEqual({ kind: "queued" });
      }
    }
    a.w.start();
    b.w.start();
    const total = INSTANCES * PER_INSTANCE;
    await eventually(() => app.delivered.length >= total, `${total} delivered`, 20_000);
    await a.w.stop();
    await b.w.stop();

    expect(app.delivered).toHaveLength(total);
    expect(a.count.forwarded + b.count.forwarded).toBe(total);
    expect(a.count.forwarded).toBeGreaterThan(0);
    expect(b.count.forwarded).toBeGreaterThan(0);
    for (const id of ids) {
      const numbers = app.delivered
        .filter((r) => r.idInstance === id)
        .map((r) => relayedNumberOf(r.body));
      expect(numbers, `instance ${id}`).toEqual(
        Array.from({ length: PER_INSTANCE }, (_, i) => i + 1),
      );
    }
    expect(await a.store.totals()).toMatchObject({ count: 0, bytes: 0 });
  });

  it("one slow application holds only its own instance: the others are delivered meanwhile", async () => {
    const slow = new FakeAppEndpoint({ delayMs: 2_500 });
    const quick = new FakeAppEndpoint();
    const [slowUrl, quickUrl] = [await slow.start(), await quick.start()];
    cleanup.push(
      () => slow.stop(),
      () => quick.stop(),
    );
    const instances = new InstanceRegistry([
      {
        name: "slow",
        idInstance: "1102100000",
        apiTokenInstance: "t".repeat(50),
        apiUrl: "",
        webhookForwardUrl: slowUrl,
      },
      ...Array.from({ length: 5 }, (_, i) => ({
        name: `q${i}`,
        idInstance: String(1102100001 + i),
        apiTokenInstance: "t".repeat(50),
        apiUrl: "",
        webhookForwardUrl: quickUrl,
      })),
    ]);
    const redis = new Redis(redisUrl());
    cleanup.push(() => redis.disconnect());
    const store = new RelayStore(redis, prefix, { limits: { maxPerInstance: 100, maxBytes: 1e7 } });
    const logger = createLogger({
      level: "silent",
      redactor: new Redactor([]),
      destination: { write: () => undefined },
    });
    const targets = new RelayTargets({ instances });
    const w = new RelayWorker(
      { store, targets, instances, counters: counters(), logger },
      {
        holder: "w",
        concurrency: 2,
        timeoutMs: 5_000,
        maxAgeMs: 60_000,
        alertAfterMs: 60_000,
        idlePollMs: 20,
      },
    );
    cleanup.push(() => w.stop());
    const intake = new RelayIntake({
      store,
      targets,
      counters: counters(),
      logger,
      wake: () => w.wake(),
    });
    for (const instance of instances.all()) {
      for (let n = 1; n <= 3; n += 1) {
        await intake.accept(
          instance.idInstance,
          Buffer.from(relayedMessage(instance.idInstance, n)),
          "application/json",
        );
      }
    }
    w.start();
    await eventually(() => quick.delivered.length === 15, "the quick instances delivered", 10_000);
    // The slow one is still on its first or second notification: it held one slot, not the others.
    expect(slow.delivered.length).toBeLessThan(3);
  });
});
