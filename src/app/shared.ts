import type { Transformer } from "grammy";
import type { Access } from "../access/access.js";
import { AlertStore } from "../alerts/alert-store.js";
import { ApplyRequests } from "../alerts/apply-requests.js";
import { AlertIntake } from "../alerts/intake.js";
import { ObservationInbox } from "../alerts/observation-inbox.js";
import { requestApply, watchJobs } from "../alerts/state-watcher.js";
import { type Config, teamOf } from "../config/index.js";
import { type DerivedSettings, derivedSettings } from "../config/derived.js";
import { GreenApiClient } from "../green-api/client.js";
import { GreenApiRateLimiter } from "../green-api/rate-limiter.js";
import { Queues } from "../jobs/queues.js";
import { Metrics } from "../observability/metrics.js";
import { AlertLanguage } from "../telegram/alert-language.js";
import { ChatPacer, ChatSlots, paceChats } from "../telegram/pacing/index.js";
import { SessionStore } from "../qr-session/session-store.js";
import type { Logger } from "../shared/logger.js";
import type { Connections } from "./connections.js";
import { type TelegramApiFactory, telegramApiFactory } from "./telegram-api.js";

/** What every part of the process shares, built once in app/index.ts. */
export interface Shared {
  config: Config;
  settings: DerivedSettings;
  logger: Logger;
  connections: Connections;
  access: Access;
  metrics: Metrics;
  greenApi: GreenApiClient;
  /** The bot-wide and per-chat Telegram budgets (telegram/pacing), and the transformer that applies them. */
  pacer: ChatPacer;
  pacing: Transformer;
  telegram: TelegramApiFactory;
  store: SessionStore;
  chatSlots: ChatSlots;
  /** Every BullMQ queue this process adds to, opened once (src/jobs). */
  queues: Queues;
  /** The alerts' one way in (shard checks and webhooks alike); asks for watch runs. */
  alertIntake: AlertIntake;
  /** The watcher's records: written by the watch job, read by /status, claims, /healthz. */
  alertStore: AlertStore;
  /** ALERT_LANGUAGE, or the one learned from the first admin who writes. */
  alertLanguage: AlertLanguage;
}

/** One part of the process: it starts, and it stops (letting work in flight end, or handing it back). */
export interface Part {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What every part of the process shares, built once: the connections, one Telegram budget, one
 * GREEN-API client with its limiter, the queues. Called by the composition root (index.ts) only.
 */
export function createShared(
  config: Config,
  logger: Logger,
  access: Access,
  connections: Connections,
): Shared {
  const { env } = config;
  const settings = derivedSettings(env);
  const redis = connections.main;
  const prefix = env.REDIS_PREFIX;
  const metrics = new Metrics({ instanceLabels: env.METRICS_INSTANCE_LABELS === "1" });
  metrics.telegramBudget.set(env.TELEGRAM_BOT_SENDS_PER_SECOND);
  // Every Api of every process draws from one budget per chat: Telegram counts per chat, not per Api.
  const pacer = new ChatPacer(redis, {
    prefix,
    botPerSecond: env.TELEGRAM_BOT_SENDS_PER_SECOND,
    groupPerMinute: env.TELEGRAM_GROUP_SENDS_PER_MINUTE,
    privatePerSecond: env.TELEGRAM_PRIVATE_SENDS_PER_SECOND,
  });
  const pacing = paceChats(pacer);
  // Fails fast, like the store: /qr during an outage must not wait for Redis to return, and the
  // webhook gives up at once (and still answers 200).
  const queues = new Queues(connections.failFast(), prefix, logger);
  return {
    config,
    settings,
    logger,
    connections,
    access,
    metrics,
    greenApi: new GreenApiClient({
      timeoutMs: env.GREEN_API_TIMEOUT_MS,
      fetch: metrics.countingFetch(),
      // One limiter per instance and method for every caller of every process.
      gate: new GreenApiRateLimiter(redis, { prefix, logger }),
    }),
    pacer,
    pacing,
    telegram: telegramApiFactory(env, pacing, metrics),
    store: new SessionStore(redis, {
      prefix,
      leaseMs: settings.leaseMs,
      staleMs: settings.sessionStaleMs,
    }),
    chatSlots: new ChatSlots(redis, { prefix, perGroup: env.QR_MAX_SESSIONS_PER_GROUP }),
    queues,
    alertIntake: new AlertIntake({
      inbox: new ObservationInbox(redis, prefix),
      requestApply: new ApplyRequests(
        () => requestApply(queues.of(watchJobs), settings.applyWindowMs),
        settings.applyWindowMs,
        logger,
      ),
    }),
    alertStore: new AlertStore(redis, prefix),
    alertLanguage: new AlertLanguage({
      redis,
      prefix,
      configured: env.ALERT_LANGUAGE,
      leads: leadsOf(teamOf(env)),
    }),
  };
}

/** Whose Telegram language alerts take when ALERT_LANGUAGE is unset: the admins, else operators. */
function leadsOf(team: ReturnType<typeof teamOf>): number[] {
  return team.adminIds.length > 0 ? team.adminIds : team.operatorIds;
}
