import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createGreenlight, type Greenlight } from "../../src/app/index.js";
import { parseEnv } from "../../src/config/env.js";
import { type Config, configFrom } from "../../src/config/index.js";
import { processSecrets } from "../../src/config/secrets.js";
import { createLogger } from "../../src/shared/logger.js";
import { Redactor } from "../../src/shared/redact.js";
import { FakeGreenApi } from "../fakes/fake-green-api.js";
import { FakeTelegram } from "../fakes/fake-telegram.js";
import { redisUrl, uniquePrefix } from "./redis.js";

export const OPERATOR = 1001;
export const SECOND_OPERATOR = 1002;
export const STRANGER = 6666;
export const GROUP_CHAT = -100500;

export interface TestInstance {
  name: string;
  idInstance: string;
  apiTokenInstance: string;
  /** Per-instance access, as in the instances file. */
  operators?: number[];
  viewers?: number[];
  admins?: number[];
  /** The webhook relay's target of this instance, as in the instances file. */
  webhookForwardUrl?: string;
  webhookForwardToken?: string;
}

export const SHOP: TestInstance = {
  name: "shop",
  idInstance: "1101000001",
  apiTokenInstance: "shoptoken0123456789abcdef0123456789abcdef0123456789",
};
export const SUPPORT: TestInstance = {
  name: "support",
  idInstance: "1101000002",
  apiTokenInstance: "supporttoken0123456789abcdef0123456789abcdef012345",
};

/** Everything a test of the whole bot needs: fakes, Redis, the app, and what it logged. */
export interface Harness {
  telegram: FakeTelegram;
  greenApi: FakeGreenApi;
  env: Record<string, string>;
  config: Config;
  logLines: string[];
  app: Greenlight;
  /** Starts another app process-in-process on the same Redis (e.g. ROLE=worker). */
  startAnother(overrides: Record<string, string>): Promise<Greenlight>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  instances?: TestInstance[];
  /** Fake GREEN-API QR rotation, in ms. */
  qrRotateMs?: number;
  /**
   * The fake GREEN-API answers 429 above its documented per-instance limits (qr 3/s,
   * getStateInstance 1/s…), as the real one does. On by default: greenlight must keep under them.
   */
  greenApiRateLimits?: boolean;
  start?: boolean;
  /**
   * A GREEN-API partner account on the fake (fake.partner): GREEN_API_PARTNER_TOKEN and both URLs
   * point at the fake. `withFile: false`: no instances file at all (everything from the account).
   */
  partner?: { withFile: boolean };
  /** The fake Telegram answers 429 above Telegram's flood limits (30/s, 20/min per group…). */
  telegramRateLimits?: boolean;
}

export function writeInstancesFile(greenApiUrl: string, instances: TestInstance[]): string {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-test-"));
  const path = join(dir, "instances.json");
  writeFileSync(path, JSON.stringify(instances.map((i) => ({ ...i, apiUrl: greenApiUrl }))));
  return path;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const telegram = await FakeTelegram.start({ enforceRateLimits: options.telegramRateLimits });
  // The operators opened a private chat with the bot long ago: it may write to them there.
  telegram.userStartedBot(OPERATOR);
  telegram.userStartedBot(SECOND_OPERATOR);
  const greenApi = await FakeGreenApi.start({
    enforceRateLimits: options.greenApiRateLimits ?? true,
  });
  const instances = options.instances ?? [SHOP, SUPPORT];
  for (const instance of instances) {
    greenApi.addInstance({
      idInstance: instance.idInstance,
      apiTokenInstance: instance.apiTokenInstance,
      qrRotateMs: options.qrRotateMs ?? 1500,
    });
  }
  const ownInstancesFile = writeInstancesFile(greenApi.apiUrl, instances);
  const env: Record<string, string> = {
    BOT_TOKEN: telegram.token,
    OPERATOR_IDS: `${OPERATOR},${SECOND_OPERATOR}`,
    // The tests' group is one the admin trusts with QR codes (README "Who may do what").
    SECRET_CHAT_IDS: String(GROUP_CHAT),
    INSTANCES_FILE:
      options.partner?.withFile === false
        ? join(dirname(ownInstancesFile), "none.json")
        : ownInstancesFile,
    ...(options.partner
      ? {
          GREEN_API_PARTNER_TOKEN: greenApi.partner.token,
          GREEN_API_PARTNER_URL: greenApi.apiUrl,
          GREEN_API_URL: greenApi.apiUrl,
        }
      : {}),
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: uniquePrefix("app"),
    TELEGRAM_API_ROOT: telegram.apiRoot,
    // The fakes speak plain http on loopback.
    ALLOW_INSECURE_HTTP: "1",
    QR_POLL_INTERVAL_MS: "100",
    QR_TIMEOUT_MS: "60000",
    GREEN_API_TIMEOUT_MS: "1000",
    SESSION_LOCK_MS: "3000",
    // The state watcher (alerts) is off unless a test turns it on (test/e2e/alerts).
    STATE_POLL_INTERVAL_MS: "0",
    // Send queues are read (stuck-queue alerts) only where a test turns it on
    // (test/e2e/alerts/stuck-queue.test.ts): other tests count GREEN-API calls exactly.
    STUCK_AFTER_MS: "0",
    // The fake enforces no flood limits unless asked, so pacing is off for a quick suite;
    // test/e2e/qr/chat-limits.test.ts turns it on.
    TELEGRAM_BOT_SENDS_PER_SECOND: "0",
    TELEGRAM_GROUP_SENDS_PER_MINUTE: "0",
    TELEGRAM_PRIVATE_SENDS_PER_SECOND: "0",
    LOG_LEVEL: "debug",
    ...options.env,
  };
  const logLines: string[] = [];
  const build = (overrides: Record<string, string>) => {
    const parsed = parseEnv({ ...env, ...overrides });
    const config: Config = configFrom(parsed);
    // What main.ts masks: every secret of the process, the derived ones included.
    const redactor = new Redactor(processSecrets(parsed, config.instances.all()));
    const logger = createLogger({
      level: parsed.LOG_LEVEL,
      redactor,
      destination: { write: (line: string) => void logLines.push(line) },
    });
    return {
      config,
      app: createGreenlight(config, logger, { onSecrets: (tokens) => redactor.add(tokens) }),
    };
  };
  const { config, app } = build({});
  const others: Greenlight[] = [];
  if (options.start !== false) await app.start();
  return {
    telegram,
    greenApi,
    env,
    config,
    logLines,
    app,
    async startAnother(overrides) {
      const another = build(overrides).app;
      others.push(another);
      await another.start();
      return another;
    },
    async close() {
      for (const other of others) await other.stop().catch(() => undefined);
      await app.stop().catch(() => undefined);
      await telegram.close();
      // The instances file's folder: tests leave nothing behind in the temp folder.
      rmSync(dirname(ownInstancesFile), { recursive: true, force: true });
      const { refusals, redeliveries, attempts } = greenApi.webhooks;
      await greenApi.close();
      // Suite-wide: greenlight answers every authenticated notification 200, so GREEN-API never
      // has to send one again (it would, every minute for a day: REAL-API.md).
      if (refusals > 0 || redeliveries > 0) {
        const statuses = attempts.map((a) => a.status).join(", ");
        throw new Error(
          `GREEN-API webhook refused ${refusals}× and redelivered ${redeliveries}× (answers: ${statuses})`,
        );
      }
    },
  };
}
