// `npm run bench -- --fleet`: one worker process (ROLE=worker, its own CPU and memory) watches a
// fleet of fake GREEN-API instances. Prints the spread of each instance's check interval against
// STATE_POLL_INTERVAL_MS, the worker's CPU and RSS, Redis memory per instance (INFO memory before
// and after), the 429s the fake GREEN-API answered and the send-queue reads (stuck queues). Flags: --instances=N (10000),
// --minutes=M (5, the run), --interval-ms=I (60000), --rps=R
// (GREEN_API_REQUESTS_PER_SECOND, 250). With --workers=2, two workers instead: bench/fleet-takeover.ts.
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { numberFlag, startFleet } from "./fleet-setup.js";
import { percentile } from "./stats.js";
import { buildBenchProcesses, startWorker, stopWorker, workerStats } from "./worker-process.js";

const INSTANCES = numberFlag("instances", 10_000);
const MINUTES = numberFlag("minutes", 5);
const INTERVAL_MS = numberFlag("interval-ms", 60_000);
const RPS = numberFlag("rps", 250);

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

export async function runFleetBench(): Promise<void> {
  buildBenchProcesses();
  const fleet = await startFleet(INSTANCES);
  const { greenApi, redis } = fleet;
  const before = await usedMemory(redis);
  const worker = await startWorker({
    ...fleet.env,
    STATE_POLL_INTERVAL_MS: String(INTERVAL_MS),
    GREEN_API_REQUESTS_PER_SECOND: String(RPS),
  });
  try {
    // The first interval fills the watch records; CPU is measured over the rest.
    await sleep(INTERVAL_MS);
    const cpuStart = await workerStats(worker);
    const measuredFrom = Date.now();
    await sleep(MINUTES * 60_000 - INTERVAL_MS);
    const cpuEnd = await workerStats(worker);
    const measuredMs = Date.now() - measuredFrom;
    const after = await usedMemory(redis);

    const byInstance = new Map<string, number[]>();
    let tooMany = 0;
    let queueReads = 0;
    for (const call of greenApi.calls) {
      if (call.status === 429) tooMany += 1;
      if (call.method === "showMessagesQueue" && call.status === 200) queueReads += 1;
      if (call.method !== "getStateInstance" || call.status !== 200) continue;
      const list = byInstance.get(call.idInstance) ?? [];
      list.push(call.at);
      byInstance.set(call.idInstance, list);
    }
    const gaps: number[] = [];
    for (const times of byInstance.values()) {
      for (let i = 1; i < times.length; i++) gaps.push((times[i] ?? 0) - (times[i - 1] ?? 0));
    }
    gaps.sort((a, b) => a - b);
    const within = gaps.filter((gap) => Math.abs(gap - INTERVAL_MS) <= INTERVAL_MS / 10).length;
    const cores = (cpuEnd.cpuMs - cpuStart.cpuMs) / measuredMs;
    const lines = [
      `fleet: ${INSTANCES} instances, interval ${INTERVAL_MS / 1000} s, ${MINUTES} min, GREEN_API_REQUESTS_PER_SECOND=${RPS}, one worker (${cpus().length} cores: ${cpus()[0]?.model ?? "?"})`,
      `instances checked:     ${byInstance.size} of ${INSTANCES}`,
      `check interval:        p50 ${(percentile(gaps, 50) / 1000).toFixed(2)} s, p99 ${(percentile(gaps, 99) / 1000).toFixed(2)} s, min ${((gaps[0] ?? 0) / 1000).toFixed(2)} s, max ${((gaps.at(-1) ?? 0) / 1000).toFixed(2)} s (target ${INTERVAL_MS / 1000} s; ${((100 * within) / Math.max(1, gaps.length)).toFixed(1)} % within ±10 %)`,
      `worker CPU:            ${cores.toFixed(3)} core`,
      `worker RSS (peak):     ${Math.round(cpuEnd.maxRssBytes / 2 ** 20)} MB (sampled peak ${mb(cpuEnd.atPeak.rss)}: JS heap ${mb(cpuEnd.atPeak.heapUsed)} used of ${mb(cpuEnd.atPeak.heapTotal)}, external ${mb(cpuEnd.atPeak.external)}, array buffers ${mb(cpuEnd.atPeak.arrayBuffers)})`,
      `Redis memory:          ${((after - before) / INSTANCES).toFixed(0)} B per instance (${Math.round((after - before) / 2 ** 20)} MB in all)`,
      `GREEN-API 429s:        ${tooMany}`,
      `queue reads:           ${queueReads} (${(queueReads / INSTANCES / MINUTES).toFixed(2)} per instance per minute; STUCK_AFTER_MS on, QUEUE_CHECK_INTERVAL_MS 60 s, spare fleet turns only)`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await stopWorker(worker);
    await fleet.close();
  }
}
