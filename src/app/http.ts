import type { Bot, Context } from "grammy";
import type { Redis } from "ioredis";
import { AlertStore } from "../alerts/alert-store.js";
import { ObservationInbox } from "../alerts/observation-inbox.js";
import { watchJobs } from "../alerts/state-watcher.js";
import type { ApplyRequests } from "../alerts/apply-requests.js";
import type { Env, InstanceRegistry } from "../config/index.js";
import { checkHealth } from "../http/health.js";
import { HttpServer } from "../http/server.js";
import { QuotaStore } from "../green-api/quota-store.js";
import { TELEGRAM_WEBHOOK_PATH, telegramWebhookHandler } from "../http/telegram-webhook.js";
import { telegramSecretToken } from "../config/webhook-secrets.js";
import type { Metrics } from "../observability/metrics.js";
import type { Queues } from "../jobs/queues.js";
import { qrJobs } from "../qr-session/qr-queue.js";
import type { Logger } from "../shared/logger.js";

export interface HttpPart {
  /** The bound port (HTTP_PORT=0 picks a free one). */
  port: number;
  /** BOT_MODE=webhook: serve Telegram's webhook and point Telegram at it. */
  serveTelegram<C extends Context>(bot: Bot<C>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server of this process (HTTP_PORT set): GREEN-API's webhook hands states to the
 * watcher queue, /healthz and /metrics read Redis and the queues. The queues' connection fails
 * fast (no offline queue): during an outage the webhook gives up at once (and still answers 200).
 */
export async function startHttp(deps: {
  env: Env & { HTTP_PORT: number };
  instances: InstanceRegistry;
  redis: Redis;
  queues: Queues;
  /** The process's one way to ask for the watcher's apply runs (app/index.ts). */
  watchApply: ApplyRequests;
  metrics: Metrics;
  logger: Logger;
}): Promise<HttpPart> {
  const { env, metrics } = deps;
  const logger = deps.logger.child({ part: "http" });
  const startedAt = Date.now();
  const watchQueue = deps.queues.of(watchJobs);
  const qrQueue = deps.queues.of(qrJobs);
  metrics.countActiveSessionsWith(() => qrQueue.getActiveCount());
  const alertStore = new AlertStore(deps.redis, env.REDIS_PREFIX);
  const quotas = new QuotaStore(deps.queues.connection, env.REDIS_PREFIX);
  // Webhook states join the shard checks' inbox: the watch job takes a burst in one run (one
  // grouped alert, one digest) instead of one job per notification, which could not keep up
  // with hundreds a second.
  const inbox = new ObservationInbox(deps.queues.connection, env.REDIS_PREFIX);

  const server = new HttpServer({
    logger,
    metrics,
    metricsToken: env.METRICS_TOKEN,
    health: () =>
      checkHealth({
        redis: deps.redis,
        workerCount: () => watchQueue.getWorkersCount(),
        lastWatcherRun: () => alertStore.lastRun(),
        // Three missed runs, plus the longest a run's checks may take; nothing when it is off.
        watcherStaleAfterMs:
          env.STATE_POLL_INTERVAL_MS > 0
            ? 3 * env.STATE_POLL_INTERVAL_MS + env.GREEN_API_TIMEOUT_MS
            : undefined,
        startedAt,
      }),
    ...(env.WEBHOOK_SECRET
      ? {
          greenApiWebhook: {
            secret: env.WEBHOOK_SECRET,
            instances: deps.instances,
            enqueue: async (instance, state, at) => {
              await inbox.push([[instance, { kind: "state", state, at, source: "webhook" }]]);
              await deps.watchApply.request();
            },
            recordQuota: (instance, quota) => quotas.record(instance, quota),
            queueCapacity: env.WEBHOOK_QUEUE_MAX,
            concurrency: env.WEBHOOK_CONCURRENCY,
          },
        }
      : {}),
  });
  const port = await server.listen(env.HTTP_PORT, env.HTTP_HOST);
  logger.info(
    { port, greenApiWebhook: Boolean(env.WEBHOOK_SECRET), botMode: env.BOT_MODE },
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
