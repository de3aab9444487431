// A redis-server of our own on a free port: for the whole test run (test/setup/redis.ts), for a
// test that takes Redis away and brings it back (outage tests), and for the bench and the soak.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";

export const REDIS_HELP =
  "Redis is needed: install redis-server (apt-get install redis-server) or set REDIS_URL=redis://host:port";

export interface RedisServerOptions {
  /** AOF on (fsync always) and `noeviction`, as production runs it: data survives a restart. */
  persistent?: boolean;
  /** `requirepass` (and `masterauth`, for a replica of a server with the same password). */
  password?: string;
  /** More redis-server arguments, after the others (e.g. `--replicaof`, `--dir`). */
  args?: string[];
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export class RedisServer {
  private child: ChildProcess | undefined;
  private output = "";
  // If the process dies without stopping us, do not leave redis-server behind.
  private readonly killOnExit = () => this.child?.kill("SIGKILL");

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
    private readonly dir: string | undefined,
  ) {}

  /** True when a redis-server binary is on PATH. */
  static available(): boolean {
    return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  }

  /** Starts one on a free port and waits until it answers PING; throws with its last output. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    let lastOutput = "";
    // The free port is found first and bound by redis a moment later: retry if someone took it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const dir = options.persistent ? mkdtempSync(join(tmpdir(), "greenlight-redis-")) : undefined;
      const server = new RedisServer(await freePort(), options, dir);
      process.once("exit", server.killOnExit);
      if (await server.launch()) return server;
      lastOutput = server.output.trim().split("\n").slice(-5).join("\n");
      await server.close();
    }
    throw new Error(`redis-server did not start:\n${lastOutput}`);
  }

  get url(): string {
    const auth = this.options.password ? `:${encodeURIComponent(this.options.password)}@` : "";
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  /** Starts it again on the same port (same data directory when persistent); running: no-op. */
  async restart(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return;
    if (!(await this.launch())) {
      throw new Error(`redis-server did not restart on port ${this.port}:\n${this.output.trim()}`);
    }
  }

  /** Stops it as an orderly shutdown or an outage would (SIGTERM, SIGKILL if it lingers). */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  /** Kills it as a crash would: nothing is flushed. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** Stops it for good and removes its data directory. */
  async close(): Promise<void> {
    await this.stop();
    process.off("exit", this.killOnExit);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private args(): string[] {
    const password = this.options.password;
    const base = [
      ...["--port", String(this.port), "--bind", "127.0.0.1", "--save", ""],
      ...(password ? ["--requirepass", password, "--masterauth", password] : []),
    ];
    const extra = this.options.args ?? [];
    if (!this.options.persistent || !this.dir) return [...base, "--appendonly", "no", ...extra];
    return [
      ...base,
      ...["--dir", this.dir, "--appendonly", "yes", "--appendfsync", "always"],
      ...["--maxmemory-policy", "noeviction"],
      ...extra,
    ];
  }

  private async launch(): Promise<boolean> {
    this.output = "";
    const child = spawn("redis-server", this.args(), { stdio: ["ignore", "pipe", "pipe"] });
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.child = child;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) return false;
      if (await pingRedis(this.url)) return true;
      await sleep(50);
    }
    return false;
  }

  private async signal(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const late = sleep(STOP_TIMEOUT_MS).then(() => "late" as const);
    if ((await Promise.race([exited, late])) === "late") {
      child.kill("SIGKILL");
      await exited;
    }
  }
}

/**
 * A private redis-server when the binary exists, else REDIS_URL if it answers; `who` names the
 * caller in the error ("tests", "bench") when neither works.
 */
export async function startPrivateOrGivenRedis(
  who: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (RedisServer.available()) {
    const server = await RedisServer.start().catch((error: Error) => {
      throw new Error(`${who}: ${REDIS_HELP}\n${error.message}`);
    });
    return { url: server.url, stop: () => server.close() };
  }
  const url = process.env.REDIS_URL;
  if (url && (await pingRedis(url))) return { url, stop: async () => {} };
  throw new Error(`${who}: ${REDIS_HELP}${url ? ` (REDIS_URL=${url} does not answer PING)` : ""}`);
}

/** One PING, no retries: true if Redis answered PONG. */
export async function pingRedis(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => undefined); // failures are the answer here, not crashes
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A port nobody listens on right now (someone may take it before we bind it: retry then). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
