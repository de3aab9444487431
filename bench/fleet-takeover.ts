// `npm run bench -- --fleet --workers=2`: two ROLE=worker processes watch one fleet of fake
// GREEN-API instances. Each worker reaches the fake at an address of its own (alsoListen), so each
// getStateInstance is put down to the process that sent it. After a warm-up interval it prints each worker's share of the checks over
// --intervals=N intervals, then kills one with -9 and prints the time until the survivor has
// checked every instance again, and the largest check gap of any instance across the kill against
// the interval. Flags: --instances=N (10000), --interval-ms=I (60000), --intervals=N (3),
// --rps=R (GREEN_API_REQUESTS_PER_SECOND, 250).
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { GreenApiCall } from "../test/fakes/fake-green-api.js";
import { numberFlag, startFleet } from "./fleet-setup.js";
import {
  buildBenchProcesses,
  killWorker,
  startWorker,
  stopWorker,
  workerStats,
} from "./worker-process.js";

const INSTANCES = numberFlag("instances", 10_000);
const INTERVAL_MS = numberFlag("interval-ms", 60_000);
const INTERVALS = numberFlag("intervals", 3);
const RPS = numberFlag("rps", 250);
/** How long the survivor may take to check every instance before the bench gives up waiting. */
const TAKEOVER_WAIT_INTERVALS = 4;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percent = (part: number, whole: number) =>
  `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

export async function runTakeoverBench(): Promise<void> {
  buildBenchProcesses();
  const fleet = await startFleet(INSTANCES);
  const { greenApi, instances } = fleet;
  const env = {
    ...fleet.env,
    STATE_POLL_INTERVAL_MS: String(INTERVAL_MS),
    GREEN_API_REQUESTS_PER_SECOND: String(RPS),
  };
  // Each worker reaches the fake at an address of its own: a call is put down to its worker by
  // the address it came to (no /proc lookups, which could not keep up with 10,000 instances).
  const urls = [greenApi.apiUrl, await greenApi.alsoListen()] as const;
  const [first, second] = await Promise.all(
    urls.map((url) => startWorker({ ...env, INSTANCES_FILE: fleet.instancesFileAt(url) })),
  );
  if (!first || !second) throw new Error("two workers did not start");
  const checks = (from: number, to = Number.POSITIVE_INFINITY): GreenApiCall[] =>
    greenApi.calls.filter(
      (c) => c.method === "getStateInstance" && c.status === 200 && c.at >= from && c.at < to,
    );
  try {
    // Warm-up: both workers take their shards and every instance gets its first check.
    await sleep(INTERVAL_MS);
    const before = await Promise.all([workerStats(first), workerStats(second)]);
    const shareFrom = Date.now();
    await sleep(INTERVALS * INTERVAL_MS);
    const shareTo = Date.now();
    const after = await Promise.all([workerStats(first), workerStats(second)]);
    const shared = checks(shareFrom, shareTo);
    const by = urls.map((url) => shared.filter((c) => c.apiUrl === url).length);
    const unattributed = shared.length - (by[0] ?? 0) - (by[1] ?? 0);

    // kill -9 of the first: from then on the survivor must check every instance.
    await killWorker(first);
    const killedAt = Date.now();
    const [dead, survivor] = urls;
    const firstBySurvivor = new Map<string, number>();
    const sinceKill = greenApi.calls.length;
    const deadline = killedAt + TAKEOVER_WAIT_INTERVALS * INTERVAL_MS;
    const takenOver = () => {
      // From the kill on each time: a call is logged when it arrives and answered later.
      for (const c of greenApi.calls.slice(sinceKill)) {
        if (c.method !== "getStateInstance" || c.status !== 200 || c.apiUrl !== survivor) continue;
        if (c.at >= killedAt && !firstBySurvivor.has(c.idInstance))
          firstBySurvivor.set(c.idInstance, c.at);
      }
      return firstBySurvivor.size >= instances.length;
    };
    while (!takenOver() && Date.now() < deadline) await sleep(500);
    const takeoverMs = Math.max(...[...firstBySurvivor.values()].map((at) => at - killedAt));

    // Each instance's gap across the kill: its last check before it, its first after.
    const lastBefore = new Map<string, number>();
    const firstAfter = new Map<string, number>();
    for (const c of checks(0)) {
      if (c.at < killedAt)
        lastBefore.set(c.idInstance, Math.max(c.at, lastBefore.get(c.idInstance) ?? 0));
      else if (!firstAfter.has(c.idInstance)) firstAfter.set(c.idInstance, c.at);
    }
    const gaps = instances.flatMap((i) => {
      const from = lastBefore.get(i.idInstance);
      const to = firstAfter.get(i.idInstance);
      return from === undefined || to === undefined ? [] : [to - from];
    });
    const widest = Math.max(...gaps);
    const fromDead = checks(killedAt + 100).filter((c) => c.apiUrl === dead).length;
    const cpu = (i: 0 | 1) =>
      ((after[i].cpuMs - before[i].cpuMs) / (shareTo - shareFrom)).toFixed(3);

    const lines = [
      `two workers: ${INSTANCES} instances, interval ${INTERVAL_MS / 1000} s, GREEN_API_REQUESTS_PER_SECOND=${RPS} (${cpus().length} cores: ${cpus()[0]?.model ?? "?"}, node ${process.version})`,
      `share of checks:       ${by[0]} (${percent(by[0] ?? 0, shared.length)}) and ${by[1]} (${percent(by[1] ?? 0, shared.length)}) over ${INTERVALS} intervals after a warm-up interval; ${unattributed} not put down to either`,
      `worker CPU / RSS:      ${cpu(0)} core, ${Math.round(after[0].maxRssBytes / 2 ** 20)} MB peak; ${cpu(1)} core, ${Math.round(after[1].maxRssBytes / 2 ** 20)} MB peak`,
      `after kill -9 of one:  ${
        firstBySurvivor.size === instances.length
          ? `the survivor had checked every instance ${seconds(takeoverMs)} after the kill (${(takeoverMs / INTERVAL_MS).toFixed(2)} intervals)`
          : `the survivor checked ${firstBySurvivor.size} of ${instances.length} instances within ${TAKEOVER_WAIT_INTERVALS} intervals`
      }`,
      `widest gap across it:  ${seconds(widest)} between an instance's last check before the kill and its first after (interval ${seconds(INTERVAL_MS)}; ${gaps.filter((g) => g > INTERVAL_MS * 1.1).length} of ${gaps.length} instances over +10 %)`,
      `checks by the dead one after the kill: ${fromDead}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await Promise.all([stopWorker(first), stopWorker(second)]);
    await fleet.close();
  }
}
