// The bench's child processes: the worker under test (bench/worker.ts) and the webhook sender
// (bench/webhook-sender.ts), compiled by tsc and forked on plain node. Compiling, starting, asking
// the worker's stats and stopping it live here, for every bench that runs a worker.
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkerStats } from "./worker.js";

/** Where tsc writes the bench's processes (tsconfig.bench.json's outDir). */
const BUILD = new URL("../.bench/build/bench/", import.meta.url);

/**
 * Compiles the bench's processes with tsc, so that they run as production does (`node
 * dist/main.js`): plain JavaScript, no tsx loader, whose ~150 MB would otherwise count in their RSS.
 */
export function buildBenchProcesses(): void {
  const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const project = new URL("../tsconfig.bench.json", import.meta.url).pathname;
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
}

/**
 * The node flags of `npm start` (package.json), e.g. its heap limit: the worker under test runs
 * with exactly what production runs with (the Dockerfile's CMD is checked against the same line).
 */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(" ").filter((word) => word.startsWith("--"));
}

/** Forks a compiled bench process (`name` without .js), its stdout and stderr on the bench's. */
export function forkBenchProcess(name: string, env: Record<string, string> = {}): ChildProcess {
  return fork(new URL(`${name}.js`, BUILD).pathname, [], {
    env: { ...process.env, ...env },
    execArgv: [
      ...productionNodeFlags(),
      // BENCH_CPU_PROF=dir writes each process's CPU profile there (open it in Chrome DevTools).
      ...(process.env.BENCH_CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** The real app with this environment (ROLE=worker and the rest), once it says it is running. */
export function startWorker(env: Record<string, string>, name = "worker"): Promise<ChildProcess> {
  const child = forkBenchProcess(name, env);
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

export function workerStats(child: ChildProcess): Promise<WorkerStats> {
  return new Promise((resolve, reject) => {
    // The naive reference bot at 500 sessions keeps its event loop busy with renders for seconds.
    const timer = setTimeout(() => reject(new Error("worker did not report stats")), 60_000);
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

/** Asks the worker to stop as the app stops; kill -9 if it has not exited within 12 s. */
export async function stopWorker(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.send("stop");
  const late = sleep(12_000).then(() => "late" as const);
  if ((await Promise.race([exited, late])) === "late") child.kill("SIGKILL");
}

/** kill -9, and wait until the process is gone. */
export async function killWorker(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}
