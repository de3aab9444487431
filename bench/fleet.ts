// `npm run bench -- --fleet`: one worker process (ROLE=worker, its own CPU and memory) watches a
// fleet of fake GREEN-API instances. Prints the spread of each instance's check interval against
// STATE_POLL_INTERVAL_MS, the worker's CPU and RSS, Redis memory per instance (INFO memory before
// and after), and the 429s the fake GREEN-API answered. Flags: --instances=N (10000),
// --minutes=M (3), --interval-ms=I (60000), --rps=R (GREEN_API_REQUESTS_PER_SECOND, 250).
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { FakeGreenApi } from "../test/fakes/fake-green-api.js";
import { FakeTelegram } from "../test/fakes/fake-telegram.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { percentile } from "./stats.js";
import type { WorkerStats } from "./worker.js";

const flag = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const INSTANCES = flag("instances", 10_000);
const MINUTES = flag("minutes", 3);
const INTERVAL_MS = flag("interval-ms", 60_000);
const RPS = flag("rps", 250);

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

export async function runFleetBench(): Promise<void> {
  const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const project = new URL("../tsconfig.bench.json", import.meta.url).pathname;
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
  const server = await startPrivateOrGivenRedis("bench");
  const telegram = await FakeTelegram.start({ enforceRateLimits: true });
  telegram.userStartedBot(1001);
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  const instances = Array.from({ length: INSTANCES }, (_, i) => {
    const idInstance = String(1_101_000_000 + i);
    const apiTokenInstance = createHash("sha256").update(idInstance).digest("hex").slice(0, 50);
    greenApi.addInstance({ idInstance, apiTokenInstance, state: "authorized" });
    return { name: `i${i}`, idInstance, apiTokenInstance, apiUrl: greenApi.apiUrl };
  });
  const dir = mkdtempSync(join(tmpdir(), "greenlight-fleet-"));
  const file = join(dir, "instances.json");
  writeFileSync(file, JSON.stringify(instances));
  const redis = new Redis(server.url);
  const prefix = `fleet-${Date.now()}`;
  const before = await usedMemory(redis);
  const worker = await startWorker({
    BOT_TOKEN: telegram.token,
    OPERATOR_IDS: "1001",
    INSTANCES_FILE: file,
    REDIS_URL: server.url,
    REDIS_PREFIX: prefix,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ALLOW_INSECURE_HTTP: "1",
    STATE_POLL_INTERVAL_MS: String(INTERVAL_MS),
    GREEN_API_REQUESTS_PER_SECOND: String(RPS),
    LOG_LEVEL: "warn",
    ROLE: "worker",
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
    for (const call of greenApi.calls) {
      if (call.status === 429) tooMany += 1;
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
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await stopWorker(worker);
    redis.disconnect();
    await greenApi.close();
    await telegram.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const compiled = new URL("../.bench/build/bench/worker.js", import.meta.url).pathname;
  const child = fork(compiled, [], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start in 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    child.on("message", (message: { ready?: boolean }) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}

function workerStats(child: ChildProcess): Promise<WorkerStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not report stats")), 10_000);
    const onMessage = (message: { stats?: WorkerStats }) => {
      if (!message.stats) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message.stats);
    };
    child.on("message", onMessage);
    child.send("stats");
  });
}

export async function stopWorker(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.send("stop");
  const late = sleep(12_000).then(() => "late" as const);
  if ((await Promise.race([exited, late])) === "late") child.kill("SIGKILL");
}
