// `npm run demo` stops everything it started (node, its redis-server, the page's port) on SIGTERM
// and SIGHUP to npm, as it does on Ctrl-C. npm forwards SIGTERM to its child but dies of SIGHUP
// alone, so the second case checks the demo notices that its parent is gone.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { RedisServer } from "../../kit/redis-server.js";
import { eventually } from "../../kit/wait.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** tsx compiles the demo on start; on a busy 2-core machine that takes a while. */
const START_TIMEOUT_MS = 90_000;
/** The demo's own deadline is 8 s; a loaded machine may add a little. */
const STOP_TIMEOUT_MS = 20_000;

const started: ChildProcess[] = [];

afterAll(() => {
  // Whatever a failed case left behind: each npm leads a process group of its own.
  for (const npm of started) if (npm.pid) kill(-npm.pid, "SIGKILL");
});

/** Every process below `pid`, read from /proc (Linux). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // An exited child of a reaper that has not waited yet is no process of the demo any more.
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
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

/** A free port, asked of the kernel; the demo binds it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** True when nothing listens on the port any more: we can bind it ourselves. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe.skipIf(!RedisServer.available()).concurrent("npm run demo stops everything", () => {
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    it(
      `on ${signal} to npm: node, its redis-server and the port`,
      async () => {
        const port = await freePort();
        let output = "";
        const env: NodeJS.ProcessEnv = { ...process.env };
        delete env.REDIS_URL; // a private redis-server, one more process that must end
        const npm = spawn("npm", ["run", "demo", "--", "--port", String(port)], {
          cwd: ROOT,
          env,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        started.push(npm);
        const collect = (chunk: Buffer) => (output += chunk.toString());
        npm.stdout?.on("data", collect);
        npm.stderr?.on("data", collect);

        await eventually(
          () => output.includes(`http://127.0.0.1:${port}/`),
          "the demo to print its URL",
          START_TIMEOUT_MS,
        );
        const pid = npm.pid ?? 0;
        const below = descendants(pid);
        const commands = below.map(commandOf);
        expect(commands.some((c) => c.includes("demo/demo.ts"))).toBe(true);
        expect(commands.some((c) => c.startsWith("redis-server"))).toBe(true);
        expect(await portFree(port)).toBe(false);

        kill(pid, signal);
        await eventually(
          () => [pid, ...below].every((p) => !alive(p)),
          `every process of the demo to end (${commands.join(" | ")})`,
          STOP_TIMEOUT_MS,
        );
        expect(await portFree(port)).toBe(true);
        expect(output).toContain("stopping…");
        expect(output).not.toContain("took too long");
      },
      START_TIMEOUT_MS + STOP_TIMEOUT_MS + 5_000,
    );
  }
});
