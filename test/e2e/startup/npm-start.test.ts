// The README says SIGTERM stops `npm start` cleanly within 10 s. npm forwards the signal to its
// child only: `start` execs node, so the child is greenlight itself, not a shell around it.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../../fakes/fake-telegram.js";
import { builtApp } from "../../kit/app-build.js";
import { redisUrl, uniquePrefix } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** `npm start` compiles first (prestart); on a busy 2-core machine that takes a while. */
const START_TIMEOUT_MS = 120_000;
/** The run's own build of dist/ (test/kit/app-build.ts), when this file is the first to need it. */
const BUILD_TIMEOUT_MS = 300_000;

let telegram: FakeTelegram;
let npm: ChildProcess | undefined;

beforeAll(async () => {
  // The run's build of src/ has written dist/ by now, so prestart's incremental tsc finds it up to
  // date instead of compiling everything a second time; `npm start` still runs prestart.
  await builtApp();
  telegram = await FakeTelegram.start();
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  if (npm?.pid) for (const pid of descendants(npm.pid)) kill(pid, "SIGKILL");
  npm?.kill("SIGKILL");
  await telegram.close();
});

/** Every process below `pid`, read from /proc (Linux). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

describe("npm start", () => {
  it(
    "stops greenlight, the node process included, within 10 s of SIGTERM to npm",
    async () => {
      let output = "";
      npm = spawn("npm", ["start"], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/root",
          BOT_TOKEN: telegram.token,
          OPERATOR_IDS: "1001",
          TELEGRAM_API_ROOT: telegram.apiRoot,
          ALLOW_INSECURE_HTTP: "1",
          INSTANCES_FILE: "instances.example.json",
          REDIS_URL: redisUrl(),
          REDIS_PREFIX: uniquePrefix("npm-start"),
          STATE_POLL_INTERVAL_MS: "0",
          HTTP_PORT: "0",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const collect = (chunk: Buffer) => (output += chunk.toString());
      npm.stdout?.on("data", collect);
      npm.stderr?.on("data", collect);
      const exited = new Promise<number | null>((resolve) => npm?.on("exit", resolve));

      await eventually(
        () => output.includes("greenlight is running"),
        "greenlight to run",
        START_TIMEOUT_MS,
      );
      const pid = npm.pid ?? 0;
      const below = descendants(pid);
      const greenlight = below.filter((p) =>
        readFileSync(`/proc/${p}/cmdline`, "utf8").includes("dist/main.js"),
      );
      expect(greenlight).toHaveLength(1);

      npm.kill("SIGTERM");
      await eventually(
        () => below.every((p) => !alive(p)),
        "every process under npm to end",
        10_000,
      );
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopped"');
    },
    START_TIMEOUT_MS + 20_000,
  );
});
