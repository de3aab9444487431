// vitest globalSetup: gives every test file a real Redis. Prefers a private redis-server on a free
// port (no persistence, killed at the end); falls back to REDIS_URL. Tests read the URL with
// `redisUrl()` from test/kit/redis.ts.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const HELP =
  "Tests need Redis: install redis-server (apt-get install redis-server) or set REDIS_URL=redis://host:port";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (hasRedisServer()) {
    const server = await startRedisServer();
    project.provide("redisUrl", server.url);
    return server.stop;
  }
  const url = process.env.REDIS_URL;
  if (url && (await ping(url))) {
    project.provide("redisUrl", url);
    return async () => {};
  }
  throw new Error(url ? `${HELP} (REDIS_URL=${url} does not answer PING)` : HELP);
}

function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

async function startRedisServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  let lastError = "";
  // The free port is found first and bound by redis a moment later: retry if someone took it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    // If vitest dies without running the teardown, do not leave redis behind.
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const url = `redis://127.0.0.1:${port}`;
    if (await waitForPing(url, child, 10_000)) {
      return {
        url,
        stop: async () => {
          process.off("exit", killOnExit);
          await stopChild(child);
        },
      };
    }
    process.off("exit", killOnExit);
    await stopChild(child);
    lastError = output.trim().split("\n").slice(-5).join("\n");
  }
  throw new Error(`${HELP}\nredis-server did not start:\n${lastError}`);
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    if (await ping(url)) return true;
    await sleep(50);
  }
  return false;
}

/** One PING, no retries: true if Redis answered PONG. */
async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => {}); // failures are the answer here, not crashes
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timeout = sleep(5000).then(() => "timeout" as const);
  if ((await Promise.race([exited, timeout])) === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
}
