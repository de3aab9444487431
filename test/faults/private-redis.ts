// A redis-server of the test's own, which the test may stop and start again on the same port (the
// shared one from test/setup/redis.ts must stay up for every other test). Persistence is on, as
// production needs it (README "Deployment"): what was in Redis before a restart is there after.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { eventually } from "../kit/wait.js";

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

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly killOnExit = () => this.child?.kill("SIGKILL");

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(
      await freePort(),
      mkdtempSync(join(tmpdir(), "greenlight-redis-")),
    );
    process.once("exit", redis.killOnExit);
    await redis.up();
    return redis;
  }

  /** Starts redis-server (again) on the same port, with AOF on, and waits until it answers. */
  async up(): Promise<void> {
    this.child = spawn(
      "redis-server",
      [
        ...["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir],
        ...["--appendonly", "yes", "--appendfsync", "always", "--save", ""],
        ...["--maxmemory-policy", "noeviction"],
      ],
      { stdio: "ignore" },
    );
    await eventually(() => answersPing(this.url), `redis-server on port ${this.port}`, 10_000);
  }

  /** Stops redis-server as an outage would: clients see their connections close. */
  async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  async close(): Promise<void> {
    await this.down();
    process.off("exit", this.killOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
