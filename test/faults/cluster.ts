// Several greenlight processes on one Redis, as production runs them (ROLE=bot + ROLE=worker…),
// and what the tests read back from them.
import type { GreenApiCall } from "../fakes/fake-green-api.js";
import type { Harness, TestInstance } from "../kit/app-harness.js";
import { type BotProcess, spawnGreenlight } from "../kit/process.js";
import { eventually } from "../kit/wait.js";

export const SALES: TestInstance = {
  name: "sales",
  idInstance: "1101000003",
  apiTokenInstance: "salestoken0123456789abcdef0123456789abcdef0123456789",
};
export const PROMO: TestInstance = {
  name: "promo",
  idInstance: "1101000004",
  apiTokenInstance: "promotoken0123456789abcdef0123456789abcdef0123456789",
};

export class Cluster {
  readonly processes: BotProcess[] = [];

  constructor(private readonly h: Harness) {}

  /** Starts a process with this ROLE and waits until it says it is running. */
  async spawn(role: "bot" | "worker" | "all"): Promise<BotProcess> {
    const p = spawnGreenlight({ ...this.h.env, ROLE: role, LOG_LEVEL: "info" });
    this.processes.push(p);
    await eventually(
      () => p.output().includes("greenlight is running"),
      `a ROLE=${role} process to start`,
      30_000,
    );
    return p;
  }

  killAll(): void {
    for (const p of this.processes) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    }
  }
}

/** Instances a worker process has said it runs a session for ("QR session running here"). */
export function sessionsRunBy(p: BotProcess): Set<string> {
  const names = new Set<string>();
  for (const line of p.output().split("\n")) {
    if (!line.includes("QR session running here")) continue;
    try {
      names.add(String(JSON.parse(line).instance));
    } catch {
      // not a log line
    }
  }
  return names;
}

/** The most requests that arrived within any one second: two pollers of one session double it. */
export function peakPerSecond(calls: readonly GreenApiCall[]): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
