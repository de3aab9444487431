import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Alerter } from "../alerts/alerter.js";
import { AlertAudience } from "../alerts/audience.js";
import { CheckTurns } from "../alerts/check-turns.js";
import { AlertClaims } from "../alerts/claims.js";
import { DigestStore } from "../alerts/digest.js";
import { AlertDispatcher } from "../alerts/dispatcher.js";
import { FollowUps } from "../alerts/follow-ups.js";
import { MuteStore } from "../alerts/mute-store.js";
import { QueueProbe } from "../alerts/queue-probe.js";
import { checkJobs, StateChecks } from "../alerts/state-checks.js";
import { StateProbe } from "../alerts/state-probe.js";
import { StateWatcher, watchJobs } from "../alerts/state-watcher.js";
import { type AlertRules, DEFAULT_RULES } from "../alerts/transitions.js";
import { AuditLog } from "../audit/audit-log.js";
import type { Env } from "../config/index.js";
import { FleetLimit } from "../green-api/fleet-limit.js";
import type { Logger } from "../shared/logger.js";
import { TelegramAlertChannel } from "../telegram/alert-channel.js";
import { historyRecorder } from "./history.js";
import { linking } from "./linking.js";
import type { Part, Shared } from "./shared.js";

/** A run's checks must end well before the next run is due, and never hang. */
const MAX_CHECK_TIMEOUT_MS = 10_000;

/** The alert rules the settings ask for. */
function alertRules(env: Env): AlertRules {
  return {
    ...DEFAULT_RULES,
    alertChats: env.ALERT_CHAT_IDS ?? [],
    startingTooLongMs: env.STARTING_TOO_LONG_MS,
    autoRebootStarting: env.AUTO_REBOOT_STARTING === "1",
    offlineWarnAfterMs: env.OFFLINE_WARN_AFTER_MS,
    escalateAfterMs: env.ESCALATE_AFTER_MS,
    escalationChats: env.ESCALATION_CHAT_IDS ?? [],
    stuckAfterMs: env.STUCK_AFTER_MS,
  };
}

/** The watch run's pipeline: transitions in the Alerter, follow-ups and the dispatcher out. */
function alerter(shared: Shared, logger: Logger): Alerter {
  const { config, connections, access, metrics, settings, alertStore: store } = shared;
  const { env, instances } = config;
  const redis = connections.main;
  const prefix = env.REDIS_PREFIX;
  const { knownPhones, closures } = linking(shared);
  const rules = alertRules(env);
  const audience = new AlertAudience(instances, access, env.ALERT_CHAT_IDS);
  const claims = new AlertClaims(store, redis, prefix);
  const followUps = new FollowUps({
    store,
    instances,
    rules,
    links: closures,
    claims,
    rebooter: shared.greenApi,
    audit: new AuditLog(redis, prefix, shared.logger.child({ part: "audit" })),
    logger,
  });
  const dispatcher = new AlertDispatcher({
    store,
    mutes: new MuteStore(redis, prefix),
    channel: new TelegramAlertChannel(shared.telegram.alerts(), shared.alertLanguage),
    digests: new DigestStore(redis, prefix),
    gatherMs: settings.alertGatherMs,
    phones: knownPhones,
    buttonsIn: (chatId) => audience.buttonsIn(chatId),
    counters: metrics,
    logger,
  });
  return new Alerter({
    store,
    instances,
    rules,
    alertChatsFor: (name) => audience.chatsFor(name),
    followUps,
    dispatcher,
    phones: knownPhones,
    // Incidents opened and closed are counted in /metrics (greenlight_incidents_total…).
    history: historyRecorder(shared, { links: closures, claims, logger }, shared.metrics),
    logger,
  });
}

/** The state watcher (alerts) of a process with the worker role. */
export function alertsPart(shared: Shared): Part {
  const { config, connections, settings, alertIntake: intake } = shared;
  const { env, instances } = config;
  const logger = shared.logger.child({ part: "alerts" });
  const checks = new StateChecks(
    {
      probe: new StateProbe({ store: shared.alertStore, greenApi: shared.greenApi, logger }),
      instances,
      intake,
      fleet: new FleetLimit(connections.main, {
        prefix: env.REDIS_PREFIX,
        perSecond: env.GREEN_API_REQUESTS_PER_SECOND,
        logger,
      }),
      turns: new CheckTurns(connections.main, {
        prefix: env.REDIS_PREFIX,
        me: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        intervalMs: env.STATE_POLL_INTERVAL_MS,
      }),
      ...(env.STUCK_AFTER_MS > 0
        ? {
            queues: new QueueProbe(
              {
                redis: connections.main,
                prefix: env.REDIS_PREFIX,
                greenApi: shared.greenApi,
                logger,
              },
              { intervalMs: env.QUEUE_CHECK_INTERVAL_MS },
            ),
          }
        : {}),
      logger,
    },
    {
      workerConnection: connections.forBullMq(),
      prefix: env.REDIS_PREFIX,
      intervalMs: env.STATE_POLL_INTERVAL_MS,
      checkTimeoutMs: Math.min(env.GREEN_API_TIMEOUT_MS, MAX_CHECK_TIMEOUT_MS),
      concurrency: settings.checkConcurrency,
      lockMs: settings.checkLockMs,
      recheckAfterMs: settings.confirmRecheckMs,
    },
  );
  const watcher = new StateWatcher(
    { alerter: alerter(shared, logger), checks, intake, logger },
    {
      workerConnection: connections.forBullMq(),
      queue: shared.queues.of(watchJobs),
      checkQueue: shared.queues.of(checkJobs),
      queueConnection: shared.queues.connection,
      prefix: env.REDIS_PREFIX,
    },
  );
  // A partner sync changed the fleet: the shard schedule follows (idempotent in every process).
  let unsubscribe: () => void = () => undefined;
  return {
    async start() {
      await watcher.start();
      unsubscribe = instances.onChange(() => void watcher.ensureSchedule());
    },
    async stop() {
      unsubscribe();
      await watcher.stop();
    },
  };
}
