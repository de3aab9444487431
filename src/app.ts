import { hostname } from "node:os";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { Api } from "grammy";
import { Redis, type RedisOptions } from "ioredis";
import { Access } from "./access/access.js";
import { ConfirmationStore } from "./access/confirmation-store.js";
import { listedOffTeam } from "./access/roles.js";
import { createStateWatcher, MuteStore } from "./alerts/index.js";
import type { StateWatcher } from "./alerts/state-watcher.js";
import { AuditLog } from "./audit/audit-log.js";
import { type Config, secretChatsOf, teamOf } from "./config/index.js";
import { GreenApiClient } from "./green-api/client.js";
import { QuotaStore } from "./green-api/quota-store.js";
import { GreenApiRateLimiter } from "./green-api/rate-limiter.js";
import { type HttpPart, Metrics, startHttp } from "./http/index.js";
import { createPairingQueue } from "./pairing/pairing-queue.js";
import { PairingService } from "./pairing/pairing-service.js";
import { PairingStore } from "./pairing/pairing-store.js";
import { PairingWatcher } from "./pairing/pairing-watcher.js";
import { ChatSlots } from "./qr-session/chat-slots.js";
import { EditBudget } from "./qr-session/edit-budget.js";
import { applySessionCapacity, createQrQueue, sessionCapacity } from "./qr-session/qr-queue.js";
import { createQrSourceFactory, socketOptionsFor } from "./qr-session/qr-source.js";
import { QrWorker } from "./qr-session/qr-worker.js";
import { SessionRunner } from "./qr-session/session-runner.js";
import { SessionStarter } from "./qr-session/session-starter.js";
import { SessionStore } from "./qr-session/session-store.js";
import { InFlight } from "./shared/in-flight.js";
import type { Logger } from "./shared/logger.js";
import { createBot } from "./telegram/bot.js";
import { ChatPacer, paceChats } from "./telegram/chat-pacer.js";
import { commandMenus } from "./telegram/features/help.js";
import { PairingScreen } from "./telegram/pairing-screen.js";
import { SessionScreen } from "./telegram/session-screen.js";

export interface Greenlight {
  start(): Promise<void>;
  /** Stops taking updates, suspends running sessions for the next worker, closes connections. */
  stop(): Promise<void>;
  /** The HTTP server's port once started (HTTP_PORT=0 picks one); undefined when off. */
  httpPort(): number | undefined;
}

/** Redis reconnects quickly (the default backoff grows to ~5 s) so the bot recovers fast. */
function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
    ...extra,
  };
}

/**
 * The store's connection (the bot's commands and the sessions' polls) fails fast while Redis is
 * down: a command gets "temporarily unavailable" at once instead of hanging, and a session's job
 * is retried by BullMQ once Redis is back. `commandTimeout` also covers a Redis that hangs.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 3_000,
};

/** How long start() waits for Redis to accept connections (it may be starting alongside us). */
const REDIS_READY_TIMEOUT_MS = 15_000;
/** How long stop() lets update handlers in flight finish before closing their connections. */
const DRAIN_UPDATES_MS = 4_000;

async function untilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}

/** Wires greenlight's parts for one process; `ROLE` picks the bot, the worker or both. */
export function createGreenlight(config: Config, logger: Logger): Greenlight {
  const { env, instances } = config;
  const prefix = env.REDIS_PREFIX;
  const leaseMs = env.SESSION_LOCK_MS;
  const team = teamOf(env);
  const access = new Access(instances, team);
  for (const { instance, userId } of listedOffTeam(instances.all(), team)) {
    logger.warn(
      { instance, userId },
      "listed on an instance but in none of ADMIN_IDS, OPERATOR_IDS, VIEWER_IDS: no access",
    );
  }

  const redis = new Redis(env.REDIS_URL, redisOptions(FAIL_FAST));
  redis.on("error", (error) => logger.warn({ err: error }, "Redis connection error"));
  const store = new SessionStore(redis, { prefix, leaseMs, staleMs: 2 * leaseMs + 15_000 });
  const metrics = new Metrics();
  const greenApi = new GreenApiClient({
    timeoutMs: env.GREEN_API_TIMEOUT_MS,
    fetch: metrics.countingFetch(),
    // One limiter per instance and method for every caller of every process (issue #11).
    gate: new GreenApiRateLimiter(redis, { prefix, logger }),
  });
  const mutes = new MuteStore(redis, prefix);
  // Every Api of every process draws from one budget per chat: Telegram counts per chat, not per Api.
  const pacing = paceChats(
    new ChatPacer(redis, {
      prefix,
      botPerSecond: env.TELEGRAM_BOT_SENDS_PER_SECOND,
      groupPerMinute: env.TELEGRAM_GROUP_SENDS_PER_MINUTE,
      privatePerSecond: env.TELEGRAM_PRIVATE_SENDS_PER_SECOND,
    }),
  );
  const pacedApi = () => {
    const api = new Api(env.BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
    api.config.use(pacing);
    return api;
  };
  const chatSlots = new ChatSlots(redis, { prefix, perGroup: env.QR_MAX_SESSIONS_PER_GROUP });
  const connections: Redis[] = [redis];
  // BullMQ requires maxRetriesPerRequest: null on its connections, and does not close ones it is given.
  const bullConnection = () => {
    const connection = new Redis(env.REDIS_URL, redisOptions({ maxRetriesPerRequest: null }));
    connection.on("error", () => undefined); // reported once, through `redis` above
    connections.push(connection);
    return connection;
  };

  const runsBot = env.ROLE !== "worker";
  const runsWorker = env.ROLE !== "bot";
  let worker: QrWorker | undefined;
  let pairingWatcher: PairingWatcher | undefined;
  let stateWatcher: StateWatcher | undefined;
  let http: HttpPart | undefined;
  const pairingStore = new PairingStore(redis, prefix);
  let botRunner: RunnerHandle | undefined;
  const updatesInFlight = new InFlight();
  const closers: Array<() => Promise<unknown>> = [];

  if (runsWorker) {
    // Paced, without auto-retry: the session loop handles 429s itself (newest QR wins).
    const screen = metrics.instrumentScreen(new SessionScreen(pacedApi(), env.QR_TIMEOUT_MS));
    if (env.STATE_POLL_INTERVAL_MS > 0)
      stateWatcher = createStateWatcher({
        env,
        instances,
        access,
        redis,
        greenApi,
        metrics,
        logger,
        pacing,
        bullConnection,
      });
    const sources = createQrSourceFactory(
      env.QR_SOURCE,
      greenApi,
      socketOptionsFor(env.QR_TIMEOUT_MS, env.GREEN_API_TIMEOUT_MS),
    );
    const runner = new SessionRunner(
      {
        store,
        greenApi,
        screen,
        instances,
        logger,
        sources,
        editBudget: new EditBudget(redis, { prefix, perSecond: env.QR_EDITS_PER_SECOND, burst: 2 }),
        chatSlots,
      },
      {
        pollIntervalMs: env.QR_POLL_INTERVAL_MS,
        leaseMs,
        stateCheckEveryMs: Math.max(10_000, env.QR_POLL_INTERVAL_MS * 10),
        maxBackoffMs: 10_000,
      },
    );
    pairingWatcher = new PairingWatcher(
      {
        store: pairingStore,
        greenApi,
        screen: new PairingScreen(pacedApi()),
        instances,
        logger: logger.child({ part: "pairing" }),
      },
      {
        connection: bullConnection(),
        prefix,
        concurrency: 200,
        lockMs: leaseMs,
        checkEveryMs: Math.min(2_000, env.PAIRING_CODE_TTL_MS / 4),
      },
    );
    worker = new QrWorker(
      { runner, store, screen, logger: logger.child({ part: "worker" }) },
      {
        connection: bullConnection(),
        prefix,
        concurrency: env.WORKER_CONCURRENCY,
        lockMs: leaseMs,
      },
    );
  }

  return {
    async start() {
      await untilReady(redis, REDIS_READY_TIMEOUT_MS);
      if (env.HTTP_PORT !== undefined) {
        const connection = new Redis(env.REDIS_URL, redisOptions(FAIL_FAST));
        connection.on("error", () => undefined); // reported once, through `redis` above
        connections.push(connection);
        const httpEnv = { ...env, HTTP_PORT: env.HTTP_PORT };
        http = await startHttp({ env: httpEnv, instances, redis, connection, metrics, logger });
      }
      if (worker) {
        worker.start();
        await worker.waitUntilReady();
        logger.info({ concurrency: env.WORKER_CONCURRENCY, host: hostname() }, "QR worker started");
      }
      if (pairingWatcher) {
        pairingWatcher.start();
        await pairingWatcher.waitUntilReady();
      }
      await stateWatcher?.start();
      if (runsBot) {
        // Fail fast, like the store: /qr during an outage must not wait for Redis to return.
        const queueConnection = new Redis(env.REDIS_URL, redisOptions(FAIL_FAST));
        queueConnection.on("error", () => undefined); // reported once, through `redis` above
        connections.push(queueConnection);
        const queue = createQrQueue(queueConnection, prefix);
        queue.on("error", (error) => logger.warn({ err: error }, "QR queue error"));
        closers.push(() => queue.close());
        const capacity = sessionCapacity(env.QR_EDITS_PER_SECOND, env.QR_MAX_SESSIONS);
        await applySessionCapacity(queue, capacity);
        const pairingQueue = createPairingQueue(queueConnection, prefix);
        pairingQueue.on("error", (error) => logger.warn({ err: error }, "pairing queue error"));
        closers.push(() => pairingQueue.close());
        const botLogger = logger.child({ part: "bot" });
        const bot = createBot(
          {
            token: env.BOT_TOKEN,
            apiRoot: env.TELEGRAM_API_ROOT,
            access,
            logger: botLogger,
            transformers: [pacing],
          },
          (api) => {
            const screen = new SessionScreen(api, env.QR_TIMEOUT_MS);
            const starter = new SessionStarter({
              store,
              queue,
              screen,
              timeoutMs: env.QR_TIMEOUT_MS,
              capacity,
              chatSlots,
              chatHoldMs: 2 * leaseMs,
              logger: botLogger,
            });
            const audit = new AuditLog(redis, prefix, logger.child({ part: "audit" }));
            const pairing = new PairingService(
              {
                greenApi,
                store: pairingStore,
                queue: pairingQueue,
                screen: new PairingScreen(api),
                audit,
                logger: botLogger,
              },
              { codeTtlMs: env.PAIRING_CODE_TTL_MS, cooldownMs: env.PAIRING_CODE_COOLDOWN_MS },
            );
            return {
              store,
              greenApi,
              screen,
              starter,
              audit,
              logger: botLogger,
              mutes,
              quotas: new QuotaStore(redis, prefix),
              pairing,
              pairingStore,
              confirmations: new ConfirmationStore(redis, { prefix, ttlMs: env.CONFIRM_TTL_MS }),
              trustedChatIds: secretChatsOf(env),
              defaultPhoneCountry: env.DEFAULT_PHONE_COUNTRY,
              timeoutMs: Math.min(env.GREEN_API_TIMEOUT_MS, 5_000),
            };
          },
        );
        await bot.init();
        await Promise.all(
          commandMenus().map(({ commands, languageCode }) =>
            bot.api.setMyCommands(commands, languageCode ? { language_code: languageCode } : {}),
          ),
        ).catch((error) => logger.warn({ err: error }, "could not set the command menu"));
        // Handlers are tracked so that stop() lets the ones in flight finish.
        const adapter = {
          init: () => bot.init(),
          handleUpdate: (update: Parameters<typeof bot.handleUpdate>[0]) =>
            updatesInFlight.track(bot.handleUpdate(update)),
          errorHandler: bot.errorHandler,
          api: bot.api,
        };
        if (env.BOT_MODE === "webhook" && http) await http.serveTelegram(bot);
        else
          botRunner = run(adapter, {
            runner: {
              fetch: { allowed_updates: ["message", "edited_message", "callback_query"] },
            },
          });
        logger.info({ username: bot.botInfo.username }, "bot started");
      }
    },

    async stop() {
      // Stop taking updates first; then let handlers and session edits in flight finish.
      await botRunner?.stop();
      await http?.close();
      const [drained] = await Promise.all([
        updatesInFlight.drain(DRAIN_UPDATES_MS),
        worker?.stop(),
        pairingWatcher?.stop(),
        stateWatcher?.stop(),
      ]);
      if (!drained)
        logger.warn({ inFlight: updatesInFlight.size }, "stopped with updates in flight");
      for (const close of closers) await close().catch(() => undefined);
      for (const connection of connections) connection.disconnect();
    },

    httpPort: () => http?.port,
  };
}
