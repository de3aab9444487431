import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { AlertStore } from "../../../src/alerts/alert-store.js";
import { InstanceRegistry } from "../../../src/config/instances.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";
import { HttpServer } from "../../../src/http/server.js";
import { type IngestMetrics, WebhookIngest } from "../../../src/http/webhook-ingest.js";
import { Metrics } from "../../../src/observability/metrics.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { stateInstanceChanged } from "../../fakes/green-api-notifications.js";
import { WebhookDelivery } from "../../fakes/webhook-delivery.js";
import { type Harness, startHarness, type TestInstance } from "../../kit/app-harness.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually, pause } from "../../kit/wait.js";
import { httpUrl, postWebhook, stateNotification, WEBHOOK_SECRET } from "./kit.js";

/** A promise the test resolves when it wants: holds hand-overs in flight. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

function countingMetrics() {
  const seen = { maxDepth: 0, depth: 0, dropped: 0 };
  const metrics: IngestMetrics = {
    webhookQueueDepth(depth) {
      seen.depth = depth;
      seen.maxDepth = Math.max(seen.maxDepth, depth);
    },
    webhookDropped(_reason, count) {
      seen.dropped += count;
    },
  };
  return { seen, metrics };
}

describe("webhook ingest: a bounded queue behind the 200", () => {
  it("runs at most `concurrency` hand-overs at once, first in first out, one instance's in order", async () => {
    const { seen, metrics } = countingMetrics();
    const ingest = new WebhookIngest({ capacity: 100, concurrency: 3, metrics, onError: () => {} });
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const task = (label: string, ms: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await pause(ms);
      running -= 1;
      done.push(label);
    };
    // Instance "a": a slow first notification must not be overtaken by its quick second one.
    expect(ingest.offer("a", task("a1", 60))).toBe(true);
    expect(ingest.offer("a", task("a2", 1))).toBe(true);
    for (let i = 0; i < 10; i += 1) expect(ingest.offer(`i${i}`, task(`i${i}`, 5))).toBe(true);
    expect(await ingest.drain(5_000)).toBe(0);
    expect(most).toBeLessThanOrEqual(3);
    expect(done).toHaveLength(12);
    expect(done.indexOf("a1")).toBeLessThan(done.indexOf("a2"));
    expect(seen).toMatchObject({ depth: 0, dropped: 0 });
    expect(seen.maxDepth).toBeGreaterThan(0);
  });

  it("refuses beyond its capacity and takes again once there is room; a failing hand-over does not stop the rest", async () => {
    const { metrics } = countingMetrics();
    const errors: unknown[] = [];
    const ingest = new WebhookIngest({
      capacity: 2,
      concurrency: 1,
      metrics,
      onError: (error) => errors.push(error),
    });
    const hold = gate();
    const ran: string[] = [];
    const task = (label: string) => async () => {
      await hold.opened;
      ran.push(label);
      if (label === "b") throw new Error("redis gone");
    };
    expect(ingest.offer("x", task("a"))).toBe(true); // running
    expect(ingest.offer("x", task("b"))).toBe(true); // waiting 1
    expect(ingest.offer("y", task("c"))).toBe(true); // waiting 2
    expect(ingest.depth).toBe(2);
    expect(ingest.offer("z", task("d"))).toBe(false);
    hold.open();
    await eventually(() => ingest.depth === 0 && ran.length === 3, "the queue drained");
    expect(ingest.offer("z", task("d"))).toBe(true);
    await ingest.drain(1_000);
    expect(ran).toEqual(["a", "b", "c", "d"]);
    expect(errors).toHaveLength(1);
    // Closed: nothing more is taken (the HTTP side answers 503 and GREEN-API sends it again).
    expect(ingest.offer("z", task("e"))).toBe(false);
  });

  it("on shutdown waits for the queued hand-overs, and past its timeout drops and counts the rest", async () => {
    const quick = countingMetrics();
    const ingest = new WebhookIngest({
      capacity: 50,
      concurrency: 2,
      metrics: quick.metrics,
      onError: () => {},
    });
    let handed = 0;
    for (let i = 0; i < 20; i += 1) {
      ingest.offer(`i${i}`, async () => {
        await pause(10);
        handed += 1;
      });
    }
    expect(await ingest.drain(5_000)).toBe(0);
    expect(handed).toBe(20);

    const stuck = countingMetrics();
    const blocked = new WebhookIngest({
      capacity: 50,
      concurrency: 2,
      metrics: stuck.metrics,
      onError: () => {},
    });
    const never = gate();
    for (let i = 0; i < 5; i += 1) blocked.offer(`i${i}`, () => never.opened);
    const started = Date.now();
    expect(await blocked.drain(100)).toBe(3);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(stuck.seen).toMatchObject({ dropped: 3, depth: 0 });
    never.open();
  });
});

const SHOP_ID = "1101000001";

/** The HTTP server alone, its hand-over held by a gate: what GREEN-API sees when Redis is slow. */
async function gatedServer(options: { capacity: number; drainTimeoutMs?: number }) {
  const hold = gate();
  const handed: Array<{ instance: string; state: StateInstance }> = [];
  const lines: string[] = [];
  const metrics = new Metrics();
  const server = new HttpServer({
    logger: createLogger({
      level: "info",
      redactor: new Redactor([]),
      destination: { write: (line: string) => void lines.push(line) },
    }),
    metrics,
    health: async () => ({ status: "ok" }) as never,
    greenApiWebhook: {
      keys: {
        tokenKey: "not used: these posts carry the shared secret",
        sharedSecret: WEBHOOK_SECRET,
      },
      instances: new InstanceRegistry([
        { name: "shop", idInstance: SHOP_ID, apiTokenInstance: "t".repeat(50), apiUrl: "" },
      ]),
      enqueue: async (instance, state) => {
        await hold.opened;
        handed.push({ instance, state });
      },
      recordQuota: async () => undefined,
      phoneSeen: async () => undefined,
      queueCapacity: options.capacity,
      concurrency: 1,
      ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
    },
  });
  const port = await server.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}/green-api/webhook`;
  const post = (state: string) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: JSON.stringify(stateNotification(SHOP_ID, state)),
    });
  return { server, metrics, hold, handed, lines, url, post };
}

describe("GREEN-API webhook: 200 before the hand-over, 503 only when it would be lost", () => {
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it("answers 200 while Redis is slow; a full queue answers 503, and GREEN-API's redelivery brings it in later, in order", async () => {
    const s = await gatedServer({ capacity: 2 });
    const delivery = new WebhookDelivery();
    closing.push(async () => {
      delivery.close();
      s.hold.open();
      await s.server.close();
    });
    // Three acknowledged (one in hand, two waiting) while nothing reached "Redis" yet.
    for (const state of ["notAuthorized", "authorized", "notAuthorized"]) {
      expect((await s.post(state)).status).toBe(200);
    }
    expect(s.handed).toEqual([]);
    expect(s.server.webhookQueueDepth).toBe(2);
    const metricsText = await s.metrics.registry.metrics();
    expect(metricsText).toContain("greenlight_webhook_queue_depth 2");

    // The fourth, through the fake GREEN-API: refused with 503 and sent again (here every 100 ms).
    delivery.configure({ url: s.url, token: WEBHOOK_SECRET, retryMs: 100 });
    delivery.push(SHOP_ID, stateInstanceChanged(Number(SHOP_ID), "authorized"));
    await eventually(() => delivery.refusals >= 1, "a refusal");
    const refused = delivery.attempts.find((a) => a.status !== 200);
    expect(refused?.status).toBe(503);
    expect(s.lines.some((line) => line.includes('"status":503'))).toBe(true);

    s.hold.open();
    expect(await delivery.idle(5_000)).toBe(true);
    expect(delivery.redeliveries).toBeGreaterThanOrEqual(1);
    // Nothing lost, nothing out of order.
    expect(s.handed.map((h) => h.state)).toEqual([
      "notAuthorized",
      "authorized",
      "notAuthorized",
      "authorized",
    ]);
    expect(await s.metrics.registry.metrics()).toContain("greenlight_webhook_queue_depth 0");
  });

  it("on close hands on what it acknowledged; what is still stuck after the timeout is counted as dropped", async () => {
    const s = await gatedServer({ capacity: 100, drainTimeoutMs: 150 });
    for (let i = 0; i < 4; i += 1) expect((await s.post("notAuthorized")).status).toBe(200);
    const started = Date.now();
    await s.server.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    // One was in hand (it finishes by itself once Redis answers); the three waiting were dropped.
    const text = await s.metrics.registry.metrics();
    expect(text).toContain('greenlight_webhooks_dropped_total{reason="shutdown"} 3');
    expect(s.lines.some((line) => line.includes("dropped at shutdown"))).toBe(true);
    s.hold.open();

    const quick = await gatedServer({ capacity: 100 });
    quick.hold.open();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => quick.post(i % 2 ? "authorized" : "notAuthorized")),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    await quick.server.close();
    expect(quick.handed).toHaveLength(20);
    expect(await quick.metrics.registry.metrics()).not.toContain(
      "greenlight_webhooks_dropped_total{",
    );
  });
});

describe("GREEN-API webhook: a burst across a fleet", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it(
    "answers a burst of 300 notifications (60 instances) 200 and every last state is what the watcher holds",
    { timeout: 60_000 },
    async () => {
      const fleet: TestInstance[] = Array.from({ length: 60 }, (_, i) => ({
        name: `shop${i}`,
        idInstance: String(1103000000 + i),
        apiTokenInstance: `token${i}`.padEnd(50, "0"),
      }));
      // Polls an hour apart: only the webhooks can explain what the watcher holds.
      h = await startHarness({
        start: false,
        instances: fleet,
        env: {
          STATE_POLL_INTERVAL_MS: "3600000",
          HTTP_PORT: "0",
          HTTP_HOST: "127.0.0.1",
          WEBHOOK_SECRET,
        },
      });
      // GREEN-API's own answer agrees with what its webhooks will have said last.
      const last = (i: number) => (i % 2 === 0 ? "notAuthorized" : "authorized") as StateInstance;
      fleet.forEach((instance, i) => (h.greenApi.instance(instance.idInstance).state = last(i)));
      await h.app.start();
      // Five per instance, sent in order per instance as GREEN-API does; instances side by side.
      const sequence = ["notAuthorized", "authorized", "blocked", "authorized", "notAuthorized"];
      const statuses = await Promise.all(
        fleet.map(async (instance, i) => {
          const answered: number[] = [];
          for (const [step, state] of sequence.entries()) {
            const sent = step === 4 ? last(i) : state;
            answered.push(
              (await postWebhook(h, stateNotification(instance.idInstance, sent))).status,
            );
          }
          return answered;
        }),
      );
      expect(statuses.flat()).toHaveLength(300);
      expect(statuses.flat().every((status) => status === 200)).toBe(true);

      const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
      try {
        const store = new AlertStore(redis, h.config.env.REDIS_PREFIX);
        const names = fleet.map((i) => i.name);
        let wrong: string[] = [];
        await eventually(
          async () => {
            const watches = await store.watches(names);
            wrong = names.filter((name, i) => watches.get(name)?.state !== last(i));
            return wrong.length === 0;
          },
          `every instance's last state held by the watcher (${wrong.length} not yet)`,
          30_000,
        );
        const watches = await store.watches(names);
        // The even ones ended logged out: an open incident each; the odd ones none.
        expect(names.filter((name) => watches.get(name)?.down)).toHaveLength(30);
      } finally {
        redis.disconnect();
      }
      expect(h.logLines.filter((line) => line.includes("webhook: state changed"))).toHaveLength(
        300,
      );
      const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
      expect(metrics).toContain('greenlight_green_api_webhooks_total{result="accepted"} 300');
      expect(metrics).toContain("greenlight_webhook_queue_depth 0");
    },
  );
});
