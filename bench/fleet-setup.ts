// What every fleet bench starts before its worker(s): a private Redis, the fake Telegram and the
// fake GREEN-API (both with their rate limits on), N authorized instances in an instances file,
// and the environment a ROLE=worker process needs to watch them.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { FakeGreenApi } from "../test/fakes/fake-green-api.js";
import { FakeTelegram } from "../test/fakes/fake-telegram.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";

/** `--name=N` from the command line, or the fallback. */
export const numberFlag = (name: string, fallback: number): number =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);

export const OPERATOR = 1001;

export interface FleetInstance {
  name: string;
  idInstance: string;
}

export interface Fleet {
  greenApi: FakeGreenApi;
  telegram: FakeTelegram;
  /** A connection of the bench's own to the Redis the workers use. */
  redis: Redis;
  prefix: string;
  instances: FleetInstance[];
  /** For startWorker: the app's environment with ROLE=worker, LOG_LEVEL=warn. */
  env: Record<string, string>;
  /**
   * The same fleet in an instances file of its own whose apiUrl is another address of the fake
   * (alsoListen): a worker started with it has its calls recorded with that apiUrl.
   */
  instancesFileAt(apiUrl: string): string;
  close(): Promise<void>;
}

export async function startFleet(count: number): Promise<Fleet> {
  const server = await startPrivateOrGivenRedis("bench");
  const telegram = await FakeTelegram.start({ enforceRateLimits: true });
  telegram.userStartedBot(OPERATOR);
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  const entries = Array.from({ length: count }, (_, i) => {
    const idInstance = String(1_101_000_000 + i);
    const apiTokenInstance = createHash("sha256").update(idInstance).digest("hex").slice(0, 50);
    greenApi.addInstance({ idInstance, apiTokenInstance, state: "authorized" });
    return { name: `i${i}`, idInstance, apiTokenInstance, apiUrl: greenApi.apiUrl };
  });
  const dir = mkdtempSync(join(tmpdir(), "greenlight-fleet-"));
  const instancesFileAt = (apiUrl: string) => {
    const path = join(dir, `instances-${new URL(apiUrl).port}.json`);
    writeFileSync(path, JSON.stringify(entries.map((entry) => ({ ...entry, apiUrl }))));
    return path;
  };
  const file = instancesFileAt(greenApi.apiUrl);
  const redis = new Redis(server.url);
  const prefix = `fleet-${Date.now()}`;
  return {
    greenApi,
    telegram,
    redis,
    prefix,
    instances: entries.map(({ name, idInstance }) => ({ name, idInstance })),
    instancesFileAt,
    env: {
      BOT_TOKEN: telegram.token,
      OPERATOR_IDS: String(OPERATOR),
      INSTANCES_FILE: file,
      REDIS_URL: server.url,
      REDIS_PREFIX: prefix,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      // The fakes speak plain http on loopback.
      ALLOW_INSECURE_HTTP: "1",
      LOG_LEVEL: "warn",
      ROLE: "worker",
    },
    async close() {
      redis.disconnect();
      await greenApi.close();
      await telegram.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port free now (a worker is started on it, and GREEN-API is pointed at it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
