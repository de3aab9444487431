// `npm run bench -- --history` (or `npx tsx bench/history.ts`): 10,000 instances with 90 days of
// synthetic incident history, written through the real HistoryStore into a private redis-server,
// then read through the real HistoryQuery and drawn by the real /history views. Prints the Redis
// bytes per instance and per incident, and the p50/p95 of /history <instance> and of the fleet
// page. Flags: --instances=N (10000), --days=D (90), --samples=S (200 instance pages, 20 fleet).
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { HistoryQuery } from "../src/history/history-query.js";
import { HistoryStore } from "../src/history/history-store.js";
import { fixKinds, type HistoryIncident } from "../src/history/incident.js";
import { DAY_MS } from "../src/history/uptime.js";
import { fleetPageText, instancePageText } from "../src/telegram/features/history/view.js";
import { textsFor } from "../src/telegram/i18n/index.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { numberFlag } from "./fleet-setup.js";
import { percentile } from "./stats.js";

const INSTANCES = numberFlag("instances", 10_000);
const DAYS = numberFlag("days", 90);
const SAMPLES = numberFlag("samples", 200);
const MAX_PER_INSTANCE = 1_000;
/** The watcher's runs in the synthetic history: every 5 minutes, with three greenlight outages. */
const RUN_EVERY_MS = 5 * 60_000;
const PEOPLE = ["Ivan", "Olga", "Petr", "Anna", "Maria Ivanova", "Sergey"];
const CAUSES = [
  "notAuthorized",
  "notAuthorized",
  "notAuthorized",
  "blocked",
  "yellowCard",
  "starting",
] as const;

/** A small deterministic PRNG (mulberry32): the same history on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * How often an instance drops: most are stable (a few incidents in 90 days), a quarter drop
 * weekly, one in twenty several times a day (they hit the cap of 1,000).
 */
function incidentsOf(rand: () => number, now: number): HistoryIncident[] {
  const kind = rand();
  const perDay = kind < 0.7 ? 0.05 : kind < 0.95 ? 0.3 : 12;
  const count = Math.round(perDay * DAYS * (0.5 + rand()));
  const incidents: HistoryIncident[] = [];
  for (let n = 0; n < count; n++) {
    const since = Math.floor(now - rand() * DAYS * DAY_MS);
    // Minutes mostly, hours now and then.
    const durationMs = rand() < 0.9 ? 60_000 + rand() * 20 * 60_000 : rand() * 6 * 3_600_000;
    const fix = fixKinds[Math.floor(rand() * fixKinds.length)] ?? "self";
    const person = () => PEOPLE[Math.floor(rand() * PEOPLE.length)] ?? "Ivan";
    incidents.push({
      cause: CAUSES[Math.floor(rand() * CAUSES.length)] ?? "notAuthorized",
      since,
      end: Math.min(now, Math.floor(since + durationMs)),
      ...(rand() < 0.4 ? { claimedBy: person() } : {}),
      fix,
      ...(fix === "self" || fix === "reboot" ? {} : { fixedBy: person() }),
      escalated: rand() < 0.1,
    });
  }
  return incidents;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info("memory"))?.[1] ?? 0);
}

async function timed(times: number[], work: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await work();
  times.push(performance.now() - start);
}

const ms = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`;
};

async function main(): Promise<void> {
  const server = await startPrivateOrGivenRedis("bench");
  const redis = new Redis(server.url);
  const prefix = `bench-history-${Date.now()}`;
  const store = new HistoryStore(redis, prefix, {
    keepMs: DAYS * DAY_MS,
    maxPerInstance: MAX_PER_INSTANCE,
    gapMs: 3 * RUN_EVERY_MS,
  });
  try {
    const now = Date.now();
    const names = Array.from({ length: INSTANCES }, (_, i) => `inst-${String(i).padStart(5, "0")}`);
    const before = await usedMemory(redis);
    // The watched spans first (closing an incident reads them): a run every 5 minutes,
    // greenlight down for an hour three times.
    const outages = [20, 45, 70].map((day) => now - (DAYS - day) * DAY_MS);
    for (let at = now - DAYS * DAY_MS; at <= now; at += RUN_EVERY_MS) {
      if (outages.some((start) => at >= start && at < start + 3_600_000)) continue;
      await store.watchRun(at);
    }
    const rand = random(27);
    const writeStart = performance.now();
    let written = 0;
    for (let from = 0; from < names.length; from += 200) {
      await Promise.all(
        names.slice(from, from + 200).map(async (name) => {
          const incidents = incidentsOf(rand, now);
          written += incidents.length;
          for (const incident of incidents) await store.add(name, incident, now);
          await store.markSeen(name, now - DAYS * DAY_MS);
        }),
      );
    }
    const writeMs = performance.now() - writeStart;
    const after = await usedMemory(redis);
    const kept = (await Promise.all(names.map((name) => store.count(name, now)))).reduce(
      (sum, n) => sum + n,
      0,
    );
    const incidentKeys = await redis.keys(`${prefix}:history:incidents:*`);
    let zsetBytes = 0;
    for (const key of incidentKeys) zsetBytes += (await redis.memory("USAGE", key)) ?? 0;

    const query = new HistoryQuery(store);
    const t = textsFor("en");
    const instanceTimes: number[] = [];
    for (let n = 0; n < SAMPLES; n++) {
      const name = names[Math.floor(rand() * names.length)] ?? "inst-00000";
      await timed(instanceTimes, async () =>
        instancePageText(await query.instancePage(name, 0), t),
      );
    }
    const fleetTimes: number[] = [];
    const fleetSamples = Math.max(5, Math.round(SAMPLES / 10));
    for (let n = 0; n < fleetSamples; n++) {
      await timed(fleetTimes, async () => fleetPageText(await query.fleetPage(names, n % 3), t));
    }

    console.log(
      `## /history bench: ${INSTANCES} instances, ${DAYS} days (HISTORY_MAX_INCIDENTS ${MAX_PER_INSTANCE})\n`,
    );
    console.log(
      `incidents written ${written}, kept ${kept} (${(kept / INSTANCES).toFixed(1)} per instance); written in ${(writeMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `Redis used_memory growth: ${((after - before) / 2 ** 20).toFixed(1)} MB = ${Math.round((after - before) / INSTANCES)} bytes per instance`,
    );
    console.log(
      `incident sets (MEMORY USAGE): ${Math.round(zsetBytes / Math.max(1, kept))} bytes per incident`,
    );
    console.log(`/history <instance> (query + view), ${SAMPLES} samples: ${ms(instanceTimes)}`);
    console.log(
      `/history fleet page (${INSTANCES} instances, query + sort + view), ${fleetSamples} samples: ${ms(fleetTimes)}`,
    );
  } finally {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1_000) await redis.del(...keys.slice(i, i + 1_000));
    redis.disconnect();
    await server.stop();
  }
}

await main();
