import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Transformer } from "grammy";
import type { Redis } from "ioredis";
import type { Access } from "../access/access.js";
import type { Env, InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Metrics } from "../http/metrics.js";
import type { Logger } from "../shared/logger.js";
import { textsFor } from "../telegram/i18n/index.js";
import { AlertStore } from "./alert-store.js";
import { Alerter } from "./alerter.js";
import { MuteStore } from "./mute-store.js";
import { StateWatcher } from "./state-watcher.js";
import { DEFAULT_RULES } from "./transitions.js";

export { AlertStore } from "./alert-store.js";
export { MuteStore } from "./mute-store.js";
export { createWatchQueue, enqueueWebhookState, type WatchJob } from "./state-watcher.js";

/** A run's checks must end well before the next run is due, and never hang. */
const MAX_CHECK_TIMEOUT_MS = 10_000;

/** The state watcher of a process with the worker role, wired from the environment. */
export function createStateWatcher(deps: {
  env: Env;
  instances: InstanceRegistry;
  /** Who hears of which instance, and who gets its buttons (src/access). */
  access: Access;
  redis: Redis;
  greenApi: GreenApiClient;
  metrics: Metrics;
  logger: Logger;
  /** Paces alerts with everything else the bot sends to a chat (see ChatPacer). */
  pacing: Transformer;
  /** A fresh BullMQ connection (maxRetriesPerRequest: null) each call. */
  bullConnection: () => Redis;
}): StateWatcher {
  const { env, logger } = deps;
  // Alerts are worth a short retry on 5xx / 429; never an unbounded one.
  const api = new Api(env.BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
  api.config.use(deps.pacing, autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5 }));
  const alerter = new Alerter({
    store: new AlertStore(deps.redis, env.REDIS_PREFIX),
    mutes: new MuteStore(deps.redis, env.REDIS_PREFIX),
    instances: deps.instances,
    greenApi: deps.greenApi,
    api,
    texts: textsFor(env.ALERT_LANGUAGE),
    // Configured chats hear of every instance; by default, each team member who may see it.
    rules: { ...DEFAULT_RULES, alertChats: env.ALERT_CHAT_IDS ?? [] },
    ...(env.ALERT_CHAT_IDS ? {} : { alertChatsFor: (name: string) => deps.access.viewersOf(name) }),
    // A private chat gets the QR / Code buttons only if its user may link the instance; a group
    // gets them, and the access model checks whoever presses.
    actionable: (chatId: number, name: string) => {
      const instance = deps.instances.find(name);
      return chatId < 0 || (instance !== undefined && deps.access.may(chatId, instance, "operate"));
    },
    logger: logger.child({ part: "alerts" }),
    onAlertSent: (items) => {
      for (const item of items) deps.metrics.alertsSent.inc({ kind: item.kind });
    },
  });
  return new StateWatcher(
    { alerter, logger: logger.child({ part: "alerts" }) },
    {
      workerConnection: deps.bullConnection(),
      queueConnection: deps.bullConnection(),
      prefix: env.REDIS_PREFIX,
      intervalMs: env.STATE_POLL_INTERVAL_MS,
      checkTimeoutMs: Math.min(env.GREEN_API_TIMEOUT_MS, MAX_CHECK_TIMEOUT_MS),
    },
  );
}
