// The compose files, without Docker (none on these machines, and no compose plugin in Debian):
// parsed as compose would merge them, their health checks run for real where they can be, and
// the Sentinel config the HA file writes fed to the same redis-server binary the tests use.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Harness, startHarness } from "../../kit/app-harness.js";
import { redisUrl } from "../../kit/redis.js";
import { freePort } from "../../kit/redis-server.js";
import { pause } from "../../kit/wait.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  logging?: { driver: string; options?: Record<string, string> };
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

function load(file: string): ComposeFile {
  // `merge: true` applies `<<:` keys, as compose does.
  return parse(readFileSync(join(ROOT, file), "utf8"), { merge: true }) as ComposeFile;
}

/** Compose's own merge of an override file, for the keys these files use. */
function merged(base: ComposeFile, override: ComposeFile): ComposeFile {
  const services: Record<string, Service> = { ...base.services };
  for (const [name, service] of Object.entries(override.services)) {
    const before = services[name] ?? {};
    services[name] = {
      ...before,
      ...service,
      environment: { ...before.environment, ...service.environment },
      depends_on: { ...before.depends_on, ...service.depends_on },
    };
  }
  return { services, volumes: { ...base.volumes, ...override.volumes } };
}

/** What `sh -c` gets once compose has interpolated the file (`$$` is a literal `$`). */
function shellOf(service: Service): string {
  const command = service.command;
  if (!Array.isArray(command) || command[0] !== "sh" || command[1] !== "-c")
    throw new Error(`expected sh -c …, got ${JSON.stringify(command)}`);
  return String(command[2]).replaceAll("$$", "$");
}

describe("docker-compose.yml and compose.ha.yml", () => {
  const base = load("docker-compose.yml");
  const ha = merged(base, load("compose.ha.yml"));

  it("pins every image to a minor version and gives every service a health check", () => {
    for (const file of [base, ha]) {
      for (const [name, service] of Object.entries(file.services)) {
        if (service.image) expect(service.image, name).toMatch(/^redis:\d+\.\d+-alpine$/);
        else expect(service.build, name).toBeDefined();
        expect(service.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
      }
    }
  });

  it("starts greenlight only after healthy dependencies, and every dependency exists", () => {
    for (const file of [base, ha]) {
      for (const [name, service] of Object.entries(file.services)) {
        for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
          expect(file.services[dependency], `${name} → ${dependency}`).toBeDefined();
          expect(condition, `${name} → ${dependency}`).toBe("service_healthy");
        }
      }
    }
    expect(Object.keys(ha.services.greenlight?.depends_on ?? {}).sort()).toEqual([
      "redis",
      "sentinel-1",
      "sentinel-2",
      "sentinel-3",
    ]);
  });

  it("points greenlight at the three sentinels, which watch the primary and a replica", () => {
    const env = ha.services.greenlight?.environment ?? {};
    expect(env.REDIS_SENTINELS).toBe("sentinel-1:26379,sentinel-2:26379,sentinel-3:26379");
    expect(env.REDIS_SENTINEL_NAME).toBe("mymaster");
    expect(env.HTTP_PORT).toBe("${HTTP_PORT:-8080}");
    const replica = ha.services["redis-replica"]?.command;
    expect(replica).toEqual(expect.arrayContaining(["--replicaof", "redis", "6379"]));
    for (const server of [ha.services.redis?.command, replica]) {
      expect(server).toEqual(expect.arrayContaining(["--appendonly", "yes"]));
      expect(server).toEqual(expect.arrayContaining(["--maxmemory-policy", "noeviction"]));
    }
    for (const name of ["sentinel-1", "sentinel-2", "sentinel-3"]) {
      const sentinel = ha.services[name];
      expect(sentinel?.environment?.SENTINEL_NAME).toBe(name);
      expect(sentinel?.volumes).toEqual([`${name}-data:/data`]);
      expect(shellOf(sentinel ?? {})).toContain("sentinel monitor mymaster redis 6379 2");
    }
    for (const volume of ["redis-data", "redis-replica-data", "sentinel-1-data"])
      expect(ha.volumes).toHaveProperty(volume);
  });

  it("rotates every service's logs (json-file with max-size)", () => {
    for (const file of [base, ha]) {
      for (const [name, service] of Object.entries(file.services)) {
        expect(service.logging?.driver, name).toBe("json-file");
        expect(service.logging?.options?.["max-size"], name).toMatch(/^\d+[km]$/);
        expect(Number(service.logging?.options?.["max-file"]), name).toBeGreaterThan(1);
      }
    }
  });

  it("turns the HTTP server on for /healthz and publishes it on the host's loopback only", () => {
    const greenlight = base.services.greenlight as Service & { ports?: string[] };
    expect(greenlight.environment?.HTTP_PORT).toBe("${HTTP_PORT:-8080}");
    expect(greenlight.environment?.HTTP_HOST).toBe("0.0.0.0");
    expect(greenlight.ports).toEqual(["127.0.0.1:${HTTP_PORT:-8080}:${HTTP_PORT:-8080}"]);
    expect(greenlight.healthcheck?.test.join(" ")).toContain("/healthz");
  });

  it("builds on Node 20 pinned to a minor version", () => {
    const stages = readFileSync(join(ROOT, "Dockerfile"), "utf8").match(/^FROM \S+/gm) ?? [];
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:20\.\d+-bookworm-slim$/);
  });

  it("runs node as npm start does: the same flags (the heap limit), node in place of npm", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, "Dockerfile"), "utf8"))?.[1];
    const image = JSON.parse(cmd ?? "[]") as string[];
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(image).toEqual(scripts.start?.replace(/^exec /, "").split(" "));
    expect(image).toContain("--max-old-space-size=1024");
  });

  describe("the health checks, run for real", () => {
    let h: Harness | undefined;
    const children: Array<ReturnType<typeof spawn>> = [];
    let dir: string | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
      for (const child of children.splice(0)) child.kill("SIGKILL");
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it("greenlight's: exit 0 while /healthz says ok, 1 when nothing answers", async () => {
      const [cmd, node, flag, script] = base.services.greenlight?.healthcheck?.test ?? [];
      expect([cmd, node, flag]).toEqual(["CMD", "node", "-e"]);
      // With the watcher on, /healthz has a worker and a watcher to report: 200.
      h = await startHarness({ env: { HTTP_PORT: "0", STATE_POLL_INTERVAL_MS: "60000" } });
      // Not spawnSync: the server under test runs in this process and must keep answering.
      const check = (port: number) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ["-e", String(script)], {
            env: { PATH: process.env.PATH ?? "", HTTP_PORT: String(port) },
            stdio: "ignore",
            timeout: 10_000,
          });
          child.once("exit", (code) => resolve(code));
        });
      expect(await check(h.app.httpPort() as number)).toBe(0);
      expect(await check(await freePort())).toBe(1);
    });

    it("the Sentinel config the HA file writes is one redis-server --sentinel accepts", async () => {
      dir = mkdtempSync(join(tmpdir(), "greenlight-compose-"));
      const script = shellOf(ha.services["sentinel-1"] ?? {})
        .replaceAll("/data/", `${dir}/`)
        .replace(/exec redis-server .*$/, "true");
      const written = spawnSync("sh", ["-c", script], {
        env: { PATH: process.env.PATH ?? "", SENTINEL_NAME: "sentinel-1" },
        timeout: 10_000,
      });
      expect(written.status).toBe(0);
      const config = readFileSync(join(dir, "sentinel.conf"), "utf8");
      expect(config).toContain("sentinel announce-ip sentinel-1\n");
      // Here "redis" is the tests' Redis on loopback, and the port a free one.
      const { port: redisPort } = new URL(redisUrl());
      const port = await freePort();
      const local = config
        .replace("port 26379", `port ${port}`)
        .replace("mymaster redis 6379", `mymaster 127.0.0.1 ${redisPort}`);
      writeFileSync(join(dir, "local.conf"), local);
      const child = spawn("redis-server", [join(dir, "local.conf"), "--sentinel"], {
        stdio: "ignore",
      });
      children.push(child);
      const client = new Redis({ port, lazyConnect: true, retryStrategy: () => 100 });
      client.on("error", () => undefined);
      try {
        let pong: string | undefined;
        for (let tries = 0; tries < 100 && !pong && child.exitCode === null; tries++) {
          pong = await client.ping().catch(() => undefined);
          if (!pong) await pause(50);
        }
        expect(child.exitCode).toBeNull();
        expect(pong).toBe("PONG");
        const master = await client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
        expect(master).toEqual(["127.0.0.1", redisPort]);
      } finally {
        client.disconnect();
      }
    });
  });
});
