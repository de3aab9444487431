// The fuzzer's world: one real greenlight (bot and workers, BOT_MODE=webhook) against the fakes,
// reset between sequences instead of restarted. Steps are posted to the bot's webhook as Telegram
// (or a forger, or GREEN-API) would, and each step's answer is awaited: the step is over when the
// bot has answered the POST and nothing more happens for a moment.
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { Api, InlineKeyboard } from "grammy";
import { Redis } from "ioredis";
import { ConfirmationStore } from "../../src/access/confirmation-store.js";
import { createGreenlight, type Greenlight } from "../../src/app/index.js";
import { parseEnv } from "../../src/config/env.js";
import { configFrom } from "../../src/config/index.js";
import { processSecrets } from "../../src/config/secrets.js";
import { createLogger } from "../../src/shared/logger.js";
import { Redactor } from "../../src/shared/redact.js";
import type { GreenApiCall } from "../fakes/fake-green-api.js";
import { FakeGreenApi } from "../fakes/fake-green-api.js";
import { FakeTelegram, type TelegramCall } from "../fakes/fake-telegram.js";
import { writeInstancesFile } from "../kit/app-harness.js";
import { uniquePrefix } from "../kit/redis.js";
import {
  INSTANCES,
  isOnTeam,
  PEOPLE,
  resetTeam,
  STRANGER_IDS,
  TEAM_ENV,
  TRUSTED_GROUP,
} from "./model.js";
import { documentedInstanceToken } from "../kit/webhook-token.js";

export const WEBHOOK_SECRET = "fuzz-webhook-secret-0123456789abcdef";
const WEBHOOK_URL = "https://greenlight.example.com/";
const QUEUES = /^(qr-sessions|pairing-watch|state-watch|state-check):/;
export const METRICS_TOKEN = "fuzz-metrics-token-0123456789";

/** The bot's token at the fake Telegram: each instance's webhook token derives from it too. */
const BOT_TOKEN = "123456:FUZZ-token-0123456789abcdefghijklmn";

/** The per-instance webhookUrlToken, by the README's formula (test/kit/webhook-token.ts). */
export function perInstanceToken(idInstance: string): string {
  return documentedInstanceToken(BOT_TOKEN, WEBHOOK_SECRET, idInstance);
}

/** What 0.2.0 used as Telegram's secret_token: computable by anyone who knows WEBHOOK_SECRET. */
export function derivedFromWebhookSecret(): string {
  return createHash("sha256").update(`telegram:${WEBHOOK_SECRET}`).digest("hex");
}

/** Everything a step left behind, for the invariants. */
export interface Observed {
  telegram: TelegramCall[];
  greenApi: GreenApiCall[];
  logs: string[];
  /** HTTP status of the step's own POST (webhook steps). */
  status?: number;
}

export interface World {
  telegram: FakeTelegram;
  greenApi: FakeGreenApi;
  app: Greenlight;
  logLines: string[];
  redis: Redis;
  prefix: string;
  /** The secret_token greenlight gave Telegram in setWebhook: only Telegram knows it. */
  telegramSecret(): string;
  /** Every secret the process holds: none may show in a log line, a metric or the audit log. */
  secrets(): string[];
  url(path: string): string;
  /** Posts an update as Telegram would (with the real secret) and waits for the bot to finish. */
  postUpdate(update: unknown, secret?: string | null): Promise<number>;
  /** Waits until nothing new happens (Telegram calls, GREEN-API calls but polling) for a moment. */
  settle(): Promise<void>;
  /** Stops greenlight and starts it again on the same Redis and fakes, with these env values. */
  restart(overrides: Record<string, string>): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  redisUrl: string;
  /** Replaces env values (e.g. a restart without someone). */
  env?: Record<string, string>;
}

/**
 * The harness's own calls to the fake, once more after a network error: a kept-alive socket the
 * fake's server closed meanwhile fails the first request (seen once in 1,800 sequences).
 */
async function twice<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch {
    return call();
  }
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const telegram = await FakeTelegram.start({ token: BOT_TOKEN });
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: false });
  for (const instance of INSTANCES) {
    greenApi.addInstance({
      idInstance: instance.idInstance,
      apiTokenInstance: instance.apiTokenInstance,
      // One QR per session: every photo is decoded, and a rotation would only cost time.
      qrRotateMs: 3_600_000,
      phone: instance.phone,
    });
  }
  // `removed` is still in kiosk's own list (the file was not edited): listed but off the team.
  const instancesFile = writeInstancesFile(
    greenApi.apiUrl,
    INSTANCES.map(({ phone: _phone, ...rest }) => ({
      ...rest,
      operators: rest.operators?.concat(rest.name === "kiosk" ? [PEOPLE.removed] : []),
    })),
  );
  const prefix = uniquePrefix("fuzz");
  const env: Record<string, string> = {
    BOT_TOKEN: telegram.token,
    ...TEAM_ENV,
    INSTANCES_FILE: instancesFile,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ALLOW_INSECURE_HTTP: "1",
    BOT_MODE: "webhook",
    WEBHOOK_URL,
    WEBHOOK_SECRET,
    // /link makes links and QR messages get "🔍 Full screen": both are in the fuzzer's reach.
    PUBLIC_URL: WEBHOOK_URL,
    HTTP_PORT: "0",
    HTTP_HOST: "127.0.0.1",
    METRICS_TOKEN,
    QR_POLL_INTERVAL_MS: "100",
    QR_TIMEOUT_MS: "5000",
    GREEN_API_TIMEOUT_MS: "1000",
    SESSION_LOCK_MS: "3000",
    STATE_POLL_INTERVAL_MS: "60000",
    PAIRING_CODE_COOLDOWN_MS: "0",
    TELEGRAM_BOT_SENDS_PER_SECOND: "0",
    TELEGRAM_GROUP_SENDS_PER_MINUTE: "0",
    TELEGRAM_PRIVATE_SENDS_PER_SECOND: "0",
    LOG_LEVEL: "debug",
    ...options.env,
  };
  for (const id of [...Object.values(PEOPLE), ...STRANGER_IDS]) telegram.userStartedBot(id);
  telegram.botIsAdminIn(TRUSTED_GROUP);

  const logLines: string[] = [];
  const build = (overrides: Record<string, string>) => {
    const parsed = parseEnv({ ...env, ...overrides });
    const config = configFrom(parsed);
    // As main.ts builds it: the redactor knows every secret the process holds.
    const redactor = new Redactor(processSecrets(parsed, config.instances.all()));
    const logger = createLogger({
      level: parsed.LOG_LEVEL,
      redactor,
      destination: { write: (line: string) => void logLines.push(line) },
    });
    return createGreenlight(config, logger, { onSecrets: (t) => redactor.add(t) });
  };
  let app = build({});
  await app.start();

  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const confirmations = new ConfirmationStore(redis, { prefix, ttlMs: 60_000 });
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  const url = (path: string) => `http://127.0.0.1:${app.httpPort() ?? 0}${path}`;
  const setWebhookSecret = String(telegram.callsOf("setWebhook").at(-1)?.params.secret_token);
  const telegramSecret = () => setWebhookSecret;

  const world: World = {
    telegram,
    greenApi,
    get app() {
      return app;
    },
    logLines,
    redis,
    prefix,
    telegramSecret,
    secrets: () => [
      telegram.token,
      WEBHOOK_SECRET,
      METRICS_TOKEN,
      telegramSecret(),
      derivedFromWebhookSecret(),
      ...INSTANCES.flatMap((i) => [i.apiTokenInstance, perInstanceToken(i.idInstance)]),
    ],
    url,
    async postUpdate(update, secret = telegramSecret()) {
      const response = await fetch(url("/telegram/webhook"), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
        },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async settle() {
      let seen = greenApi.calls.length;
      let actions = 0;
      const busy = () => {
        for (; seen < greenApi.calls.length; seen++) {
          const method = greenApi.calls[seen]?.method;
          if (method !== "qr" && method !== "getStateInstance") actions++;
        }
        return telegram.calls.length + actions;
      };
      let last = busy();
      let quietSince = Date.now();
      const deadline = Date.now() + 1_500;
      while (Date.now() < deadline && Date.now() - quietSince < 10) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        const now = busy();
        if (now !== last) {
          last = now;
          quietSince = Date.now();
        }
      }
    },
    async restart(overrides) {
      await app.stop();
      app = build(overrides);
      await app.start();
    },
    async reset() {
      if (!isOnTeam(PEOPLE.operator)) {
        resetTeam();
        await world.restart({});
      }
      telegram.clearScriptedFailures();
      telegram.forgetEverything();
      greenApi.calls.length = 0;
      logLines.length = 0;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        // BullMQ's keys stay (workers block on them; a session's job ends with its session).
        const stale = keys.filter((k) => !QUEUES.test(k.slice(prefix.length + 1)));
        if (stale.length) await redis.del(...stale);
      } while (cursor !== "0");
      for (const instance of INSTANCES) {
        const fake = greenApi.instance(instance.idInstance);
        fake.state = instance.name === "kiosk" ? "notAuthorized" : "authorized";
        fake.phone = instance.phone;
      }
      // What `removed` left behind while still an operator: a Yes/No of theirs, armed.
      for (const chatId of [PEOPLE.removed, TRUSTED_GROUP]) {
        const keyboard = new InlineKeyboard()
          .text("Yes", "adm:logout-yes:kiosk")
          .text("QR", "qr:start:kiosk");
        const { message_id } = await twice(() =>
          api.sendMessage(chatId, "🚪 (earlier) Log out?", { reply_markup: keyboard }),
        );
        await confirmations.arm(
          { chatId, messageId: message_id },
          { action: "logout", instance: "kiosk", userId: PEOPLE.removed },
        );
      }
    },
    async close() {
      redis.disconnect();
      await app.stop().catch(() => undefined);
      await telegram.close();
      await greenApi.close();
      rmSync(dirname(instancesFile), { recursive: true, force: true });
    },
  };
  return world;
}
