// Redis with Sentinel on loopback, from the same redis-server binary as the rest of the tests: a
// primary, a replica and three sentinels on free ports, their files in a temp folder that close()
// removes. Failover is tuned to take a few seconds (down-after 1 s), so a test can kill -9 the
// primary and watch greenlight follow the promotion.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { freePort, RedisServer } from "./redis-server.js";
import { eventually } from "./wait.js";

export interface SentinelSetupOptions {
  /** The master name in `sentinel monitor` (greenlight's REDIS_SENTINEL_NAME). */
  name?: string;
  /** requirepass of the primary and the replica (greenlight's REDIS_PASSWORD). */
  password?: string;
  /** requirepass of the sentinels (greenlight's REDIS_SENTINEL_PASSWORD). */
  sentinelPassword?: string;
  /** How long the primary may not answer before a sentinel thinks it down. */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
/** Replica in sync, sentinels aware of it and of each other (hello messages every 2 s). */
const SETTLE_TIMEOUT_MS = 20_000;
const SENTINELS = 3;
const QUORUM = 2;

/** One `redis-server sentinel.conf --sentinel` process. */
class SentinelProcess {
  private child: ChildProcess | undefined;
  private output = "";
  private readonly killOnExit = () => this.child?.kill("SIGKILL");
  /** For the setup's own questions (INFO sentinel); closed by stop(). */
  readonly client: Redis;

  constructor(
    readonly port: number,
    private readonly configFile: string,
    password: string | undefined,
  ) {
    this.client = new Redis({
      host: "127.0.0.1",
      port,
      ...(password ? { password } : {}),
      lazyConnect: true,
      connectTimeout: 1_000,
      commandTimeout: 1_000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 100,
    });
    this.client.on("error", () => undefined); // a sentinel that is not up yet is expected here
  }

  /** Starts it; false (with its output kept) if it exited or did not answer in time. */
  async launch(): Promise<boolean> {
    const child = spawn("redis-server", [this.configFile, "--sentinel"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.child = child;
    process.once("exit", this.killOnExit);
    await this.client.connect().catch(() => undefined);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) return false;
      if ((await this.client.ping().catch(() => undefined)) === "PONG") return true;
      await sleep(50);
    }
    return false;
  }

  lastOutput(): string {
    return this.output.trim().split("\n").slice(-5).join("\n");
  }

  /** `INFO sentinel`'s line for the master: name=…,status=…,address=…,slaves=…,sentinels=… */
  async masterLine(): Promise<Record<string, string> | undefined> {
    const info = await this.client.info("sentinel").catch(() => undefined);
    const line = info?.split("\n").find((l) => l.startsWith("master0:"));
    if (!line) return undefined;
    return Object.fromEntries(
      line
        .slice("master0:".length)
        .trim()
        .split(",")
        .map((pair) => pair.split("=") as [string, string]),
    );
  }

  async stop(): Promise<void> {
    this.client.disconnect();
    const child = this.child;
    process.off("exit", this.killOnExit);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const late = sleep(STOP_TIMEOUT_MS).then(() => "late" as const);
    if ((await Promise.race([exited, late])) === "late") {
      child.kill("SIGKILL");
      await exited;
    }
  }
}

export class SentinelSetup {
  private constructor(
    readonly name: string,
    readonly primary: RedisServer,
    readonly replica: RedisServer,
    private readonly sentinels: SentinelProcess[],
    private readonly dir: string,
  ) {}

  /** Starts the primary, its replica, then the sentinels; resolves once failover could work. */
  static async start(options: SentinelSetupOptions = {}): Promise<SentinelSetup> {
    const name = options.name ?? "mymaster";
    const dir = mkdtempSync(join(tmpdir(), "greenlight-sentinel-"));
    const started: { servers: RedisServer[]; sentinels: SentinelProcess[] } = {
      servers: [],
      sentinels: [],
    };
    try {
      const serverDir = (which: string) => {
        const path = join(dir, which);
        mkdirSync(path);
        return path;
      };
      // noeviction as in production (BullMQ warns otherwise); files in the temp folder, not the cwd.
      const common = (which: string) => [
        "--dir",
        serverDir(which),
        "--maxmemory-policy",
        "noeviction",
      ];
      const primary = await RedisServer.start({
        ...(options.password ? { password: options.password } : {}),
        args: common("primary"),
      });
      started.servers.push(primary);
      const replica = await RedisServer.start({
        ...(options.password ? { password: options.password } : {}),
        args: [...common("replica"), "--replicaof", "127.0.0.1", String(primary.port)],
      });
      started.servers.push(replica);
      await eventually(
        async () => /master_link_status:up/.test(await infoOf(replica.url, "replication")),
        "the replica in sync with the primary",
        SETTLE_TIMEOUT_MS,
      );

      for (let index = 0; index < SENTINELS; index++) {
        started.sentinels.push(await startSentinel(dir, index, name, primary.port, options));
      }
      // Each sentinel must know the replica and the other sentinels, or there is no quorum.
      await eventually(
        async () => {
          const lines = await Promise.all(started.sentinels.map((s) => s.masterLine()));
          return lines.every(
            (line) =>
              line?.status === "ok" && line.slaves === "1" && line.sentinels === String(SENTINELS),
          );
        },
        `${SENTINELS} sentinels that know each other and the replica`,
        SETTLE_TIMEOUT_MS,
      );
      return new SentinelSetup(name, primary, replica, started.sentinels, dir);
    } catch (error) {
      for (const sentinel of started.sentinels) await sentinel.stop();
      for (const server of started.servers) await server.close();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** REDIS_SENTINELS for greenlight: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  get sentinelList(): string {
    return this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(",");
  }

  /** The primary's port as the sentinels report it; undefined while they disagree. */
  async primaryPort(): Promise<number | undefined> {
    const lines = await Promise.all(this.sentinels.map((s) => s.masterLine()));
    const ports = new Set(lines.map((line) => line?.address?.split(":").at(-1)));
    const [port] = ports;
    return ports.size === 1 && port ? Number(port) : undefined;
  }

  /** A planned switch (`SENTINEL FAILOVER`): the primary stays up and is turned into a replica. */
  async failover(): Promise<void> {
    const [sentinel] = this.sentinels;
    if (!sentinel) throw new Error("no sentinel");
    await sentinel.client.call("SENTINEL", "FAILOVER", this.name);
  }

  /** Waits until `server` reports `role` in INFO replication; throws after `timeoutMs`. */
  async waitForRole(
    server: RedisServer,
    role: "master" | "slave",
    timeoutMs: number,
  ): Promise<number> {
    await eventually(
      async () => new RegExp(`role:${role}\\b`).test(await infoOf(server.url, "replication")),
      `port ${server.port} in the role ${role}`,
      timeoutMs,
    );
    return Date.now();
  }

  /** kill -9 of the primary, as a crash of its machine would be: nothing is flushed. */
  async killPrimary(): Promise<void> {
    await this.primary.kill();
  }

  /**
   * Resolves with the time the first sentinel names the replica as the primary (the promotion;
   * sentinels publish +switch-master then), polling every 50 ms; throws after `timeoutMs`.
   */
  async waitForPromotion(timeoutMs: number): Promise<number> {
    const address = `127.0.0.1:${this.replica.port}`;
    await eventually(
      async () => {
        const lines = await Promise.all(this.sentinels.map((s) => s.masterLine()));
        return lines.some((line) => line?.address === address);
      },
      `a sentinel naming the replica (${address}) the primary`,
      timeoutMs,
    );
    return Date.now();
  }

  /** Stops every process and removes the temp folder. */
  async close(): Promise<void> {
    for (const sentinel of this.sentinels) await sentinel.stop();
    await this.replica.close();
    await this.primary.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startSentinel(
  dir: string,
  index: number,
  name: string,
  primaryPort: number,
  options: SentinelSetupOptions,
): Promise<SentinelProcess> {
  let lastOutput = "";
  // The free port is found first and bound a moment later: retry if someone took it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const configFile = join(dir, `sentinel-${index}.conf`);
    // Sentinel rewrites its own config file (the known replica and sentinels): it must be ours.
    writeFileSync(
      configFile,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        "daemonize no",
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primaryPort} ${QUORUM}`,
        `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1_000}`,
        `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 3_000}`,
        `sentinel parallel-syncs ${name} 1`,
        ...(options.password ? [`sentinel auth-pass ${name} ${options.password}`] : []),
        // Sentinels talk to each other too: with a password, they must present it.
        ...(options.sentinelPassword
          ? [
              `requirepass ${options.sentinelPassword}`,
              `sentinel sentinel-pass ${options.sentinelPassword}`,
            ]
          : []),
        "",
      ].join("\n"),
    );
    const sentinel = new SentinelProcess(port, configFile, options.sentinelPassword);
    if (await sentinel.launch()) return sentinel;
    lastOutput = sentinel.lastOutput();
    await sentinel.stop();
  }
  throw new Error(`redis-server --sentinel did not start:\n${lastOutput}`);
}

/** INFO <section> of a server, "" when it does not answer (within 1 s, no retries). */
async function infoOf(url: string, section: string): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.info(section);
  } catch {
    return "";
  } finally {
    client.disconnect();
  }
}
