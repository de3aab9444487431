// `npm run bench -- --metrics`: what one /metrics scrape costs with a large fleet. The fleet
// gauges read every watch record from Redis at each scrape (one HMGET); this fills N records
// (--instances=N, 10000) as the watcher writes them (a tenth down, a few stuck) and times the
// scrape, by default and with METRICS_INSTANCE_LABELS=1, with its size in bytes.
import { Redis } from "ioredis";
import { AlertStore } from "../src/alerts/alert-store.js";
import { fleetGauges } from "../src/alerts/fleet-gauges.js";
import type { InstanceWatch } from "../src/alerts/watch-state.js";
import { Metrics } from "../src/observability/metrics.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { numberFlag } from "./fleet-setup.js";
import { percentile } from "./stats.js";

const INSTANCES = numberFlag("instances", 10_000);
const SCRAPES = 40;

function watchOf(i: number, now: number): InstanceWatch {
  const incident = { since: now - 600_000, initial: false, unsent: [], messages: [] };
  if (i % 10 === 0) return { failures: 0, state: "notAuthorized", checkedAt: now, down: incident };
  if (i % 97 === 0) {
    return {
      failures: 0,
      state: "authorized",
      checkedAt: now,
      queue: { size: 12, head: "BAE5DE8CA912345", since: now - 1_200_000 },
      stuck: { ...incident, queued: 12, waitedMs: 900_000 },
    };
  }
  return { failures: 0, state: "authorized", checkedAt: now };
}

async function scrapes(metrics: Metrics, read: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    // A new reader each time: no scrape reuses the last one's fleet read.
    metrics.readFleetWith(read as never);
    const started = performance.now();
    await metrics.registry.metrics();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

export async function runMetricsBench(): Promise<void> {
  const server = await startPrivateOrGivenRedis("bench");
  const redis = new Redis(server.url);
  try {
    const prefix = `metrics-${Date.now()}`;
    const store = new AlertStore(redis, prefix);
    const names = Array.from({ length: INSTANCES }, (_, i) => `i${i}`);
    const now = Date.now();
    for (let from = 0; from < INSTANCES; from += 1_000) {
      const batch = names
        .slice(from, from + 1_000)
        .map((name, j) => [name, watchOf(from + j, now)] as const);
      await store.saveWatches(new Map(batch));
    }
    const read = async () => fleetGauges(await store.watches(names), Date.now());
    const lines = [
      `metrics scrape: ${INSTANCES} instances' watch records, ${SCRAPES} scrapes each`,
    ];
    for (const instanceLabels of [false, true]) {
      const metrics = new Metrics({ instanceLabels });
      const times = await scrapes(metrics, read);
      const bytes = Buffer.byteLength(await metrics.registry.metrics());
      lines.push(
        `METRICS_INSTANCE_LABELS=${instanceLabels ? 1 : 0}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}
