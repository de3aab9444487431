import type { Bot, Context } from "grammy";
import type { Redis } from "ioredis";
import type { AlertStore } from "../alerts/alert-store.js";
import type { AlertIntake } from "../alerts/intake.js";
import { fleetGauges } from "../alerts/fleet-gauges.js";
import { watchJobs } from "../alerts/state-watcher.js";
import type { Env, InstanceRegistry } from "../config/index.js";
import { checkHealth } from "../http/health.js";
import type { LinkPagePorts } from "../http/link-page/ports.js";
import { HttpServer } from "../http/server.js";
import { QuotaStore } from "../green-api/quota-store.js";
import { TELEGRAM_WEBHOOK_PATH, telegramWebhookHandler } from "../http/telegram-webhook.js";
import { instanceTokenKey, telegramSecretToken } from "../config/webhook-secrets.js";
import type { Metrics } from "../observability/metrics.js";
import type { Queues } from "../jobs/queues.js";
import { qrJobs } from "../qr-session/qr-queue.js";
import type { RelayIntake } from "../relay/relay-intake.js";
import type { Logger } from "../shared/logger.js";
import { WebhookSetupStore } from "../webhook-setup/setup-store.js";
import { withTimeout } from "../shared/with-timeout.js";

export interface HttpPart {
  /** The bound port (HTTP_PORT=0 picks a free one). */
  port: number;
  /** BOT_MODE=webhook: serve Telegram's webhook and point Telegram at it. */
  serveTelegram<C extends Context>(bot: Bot<C>): Promise<void>;
  close(): Promise<void>;
}

/** What /healthz reads: Redis, the workers on the watch queue, the watcher's last run. */
function healthOf(deps: { env: Env; redis: Redis; queues: Queues; alertStore: AlertStore }) {
  const { env } = deps;
  const startedAt = Date.now();
  const watchQueue = deps.queues.of(watchJobs);
  return () =>
    checkHealth({
      redis: deps.redis,
      workerCount: () => watchQueue.getWorkersCount(),
      lastWatcherRun: () => deps.alertStore.lastRun(),
      // Three missed runs, plus the longest a run's checks may take; nothing when it is off.
      watcherStaleAfterMs:
        env.STATE_POLL_INTERVAL_MS > 0
          ? 3 * env.STATE_POLL_INTERVAL_MS + env.GREEN_API_TIMEOUT_MS
          : undefined,
      startedAt,
    });
}

/**
 * Starts the HTTP server of this process (HTTP_PORT set): GREEN-API's webhook hands states to the
 * alerts' intake, /healthz and /metrics read Redis and the queues. The queues' connection fails
 * fast (no offline queue): during an outage the webhook gives up at once (and still answers 200).
 */
export async function startHttp(deps: {
  env: Env & { HTTP_PORT: number };
  instances: InstanceRegistry;
  redis: Redis;
  queues: Queues;
  /** The alerts' one way in: webhook states join the shard checks' inbox. */
  alertIntake: AlertIntake;
  /** When the watcher last ran, for /healthz. */
  alertStore: AlertStore;
  metrics: Metrics;
  logger: Logger;
  /** The webhook relay, when any instance has a forward target (app/relay.ts). */
  relay?: RelayIntake;
  /** PUBLIC_URL set: the link page's routes (/l/…). */
  linkPage?: LinkPagePorts;
}): Promise<HttpPart> {
  const { env, metrics } = deps;
  const logger = deps.logger.child({ part: "http" });
  const qrQueue = deps.queues.of(qrJobs);
  metrics.countActiveSessionsWith(() => qrQueue.getActiveCount());
  metrics.checkRedisWith(
    async () => (await withTimeout(deps.redis.ping(), 1_000, "ping")) === "PONG",
  );
  // The fleet gauges read the watch records at each scrape, like /status's fleet view.
  metrics.readFleetWith(async () => {
    const names = deps.instances.all().map((instance) => instance.name);
    return fleetGauges(await deps.alertStore.watches(names), Date.now());
  });
  const { alertIntake } = deps;
  const quotas = new QuotaStore(deps.queues.connection, env.REDIS_PREFIX);
  // /webhook's "in effect since": the first notification through greenlight after the switch.
  const webhookSetups = new WebhookSetupStore(deps.queues.connection, env.REDIS_PREFIX);

  const server = new HttpServer({
    logger,
    metrics,
    metricsToken: env.METRICS_TOKEN,
    health: healthOf(deps),
    ...(deps.linkPage ? { linkPage: deps.linkPage } : {}),
    ...(env.WEBHOOK_SECRET
      ? {
          greenApiWebhook: {
            keys: {
              tokenKey: instanceTokenKey({
                BOT_TOKEN: env.BOT_TOKEN,
                WEBHOOK_SECRET: env.WEBHOOK_SECRET,
              }),
              sharedSecret:
                env.WEBHOOK_ACCEPT_SHARED_SECRET === "1" ? env.WEBHOOK_SECRET : undefined,
            },
            instances: deps.instances,
            enqueue: (instance, state, at) => alertIntake.webhookState(instance, state, at),
            recordQuota: (instance, quota) => quotas.record(instance, quota),
            noteSender: (idInstance) => void webhookSetups.noteNotification(idInstance),
            phoneSeen: (instance, at) => alertIntake.phoneSeen(instance, at),
            queueCapacity: env.WEBHOOK_QUEUE_MAX,
            concurrency: env.WEBHOOK_CONCURRENCY,
            ...(deps.relay
              ? {
                  relay: (idInstance: string, body: Buffer, contentType: string) =>
                    deps.relay!.accept(idInstance, body, contentType),
                }
              : {}),
          },
        }
      : {}),
  });
  const port = await server.listen(env.HTTP_PORT, env.HTTP_HOST);
  logger.info(
    {
      port,
      greenApiWebhook: Boolean(env.WEBHOOK_SECRET),
      botMode: env.BOT_MODE,
      linkPage: Boolean(deps.linkPage),
    },
    "HTTP server listening",
  );

  return {
    port,
    async serveTelegram(bot) {
      // Not WEBHOOK_SECRET's: GREEN-API and every instance-token holder can read that one.
      const secret = telegramSecretToken(env);
      server.serveTelegram(telegramWebhookHandler(bot, secret), secret);
      await bot.api.setWebhook(`${env.WEBHOOK_URL}${TELEGRAM_WEBHOOK_PATH}`, {
        secret_token: secret,
        allowed_updates: ["message", "edited_message", "callback_query"],
      });
      logger.info("Telegram webhook set");
    },
    async close() {
      await server.close();
    },
  };
}
