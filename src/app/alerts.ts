import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { AlertStore } from "../alerts/alert-store.js";
import { CheckTurns } from "../alerts/check-turns.js";
import { AlertClaims } from "../alerts/claims.js";
import { Alerter } from "../alerts/alerter.js";
import { DigestStore } from "../alerts/digest.js";
import { MuteStore } from "../alerts/mute-store.js";
import { ObservationInbox } from "../alerts/observation-inbox.js";
import { checkJobs, StateChecks } from "../alerts/state-checks.js";
import { StateWatcher, watchJobs } from "../alerts/state-watcher.js";
import { FleetLimit } from "../green-api/fleet-limit.js";
import { DEFAULT_RULES } from "../alerts/transitions.js";
import { TelegramAlertChannel } from "../telegram/alert-channel.js";
import { textsFor } from "../telegram/i18n/index.js";
import { autoRebooter, linking } from "./linking.js";
import type { Part, Shared } from "./shared.js";

/** A run's checks must end well before the next run is due, and never hang. */
const MAX_CHECK_TIMEOUT_MS = 10_000;

/** The state watcher (alerts) of a process with the worker role. */
export function alertsPart(shared: Shared): Part {
  const { config, connections, access, metrics, settings } = shared;
  const { env, instances } = config;
  const logger = shared.logger.child({ part: "alerts" });
  const { knownPhones, closures } = linking(shared);
  const alerter = new Alerter({
    store: new AlertStore(connections.main, env.REDIS_PREFIX),
    mutes: new MuteStore(connections.main, env.REDIS_PREFIX),
    digests: new DigestStore(connections.main, env.REDIS_PREFIX),
    gatherMs: settings.alertGatherMs,
    instances,
    greenApi: shared.greenApi,
    channel: new TelegramAlertChannel(shared.telegram.alerts(), textsFor(env.ALERT_LANGUAGE)),
    // Configured chats hear of every instance; by default, each team member who may see it.
    rules: {
      ...DEFAULT_RULES,
      alertChats: env.ALERT_CHAT_IDS ?? [],
      startingTooLongMs: env.STARTING_TOO_LONG_MS,
      autoRebootStarting: env.AUTO_REBOOT_STARTING === "1",
      offlineWarnAfterMs: env.OFFLINE_WARN_AFTER_MS,
      escalateAfterMs: env.ESCALATE_AFTER_MS,
      escalationChats: env.ESCALATION_CHAT_IDS ?? [],
    },
    phones: knownPhones,
    claims: new AlertClaims(
      new AlertStore(connections.main, env.REDIS_PREFIX),
      connections.main,
      env.REDIS_PREFIX,
    ),
    links: closures,
    ...(env.AUTO_REBOOT_STARTING === "1" ? { rebooter: autoRebooter(shared) } : {}),
    ...(env.ALERT_CHAT_IDS ? {} : { alertChatsFor: (name: string) => access.viewersOf(name) }),
    // A private chat gets the QR / Code buttons only if its user may link the instance; a group
    // gets them, and the access model checks whoever presses.
    actionable: (chatId: number, name: string) => {
      const instance = instances.find(name);
      return chatId < 0 || (instance !== undefined && access.may(chatId, instance, "operate"));
    },
    logger,
    counters: metrics,
  });
  const inbox = new ObservationInbox(connections.main, env.REDIS_PREFIX);
  const watchQueue = shared.queues.of(watchJobs);
  const checks = new StateChecks(
    {
      alerter,
      instances,
      inbox,
      fleet: new FleetLimit(connections.main, {
        prefix: env.REDIS_PREFIX,
        perSecond: env.GREEN_API_REQUESTS_PER_SECOND,
        logger,
      }),
      observed: () => shared.watchApply.request(),
      turns: new CheckTurns(connections.main, {
        prefix: env.REDIS_PREFIX,
        me: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        intervalMs: env.STATE_POLL_INTERVAL_MS,
      }),
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
    { alerter, checks, inbox, logger },
    {
      workerConnection: connections.forBullMq(),
      queue: watchQueue,
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
