// A private redis-server on a free port for the bench (as the tests' globalSetup does), or
// REDIS_URL when redis-server is not installed.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";

export interface BenchRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startBenchRedis(): Promise<BenchRedis> {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error("bench needs redis-server on PATH or REDIS_URL");
    return { url, stop: async () => {} };
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await ping(url))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      kill();
      throw new Error("redis-server did not start within 10 s");
    }
    await sleep(50);
  }
  return {
    url,
    stop: async () => {
      process.off("exit", kill);
      await stopChild(child);
    },
  };
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => {});
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
  const late = sleep(5000).then(() => "late" as const);
  if ((await Promise.race([exited, late])) === "late") child.kill("SIGKILL");
}
