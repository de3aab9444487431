import type { Queue } from "bullmq";
import type { Api } from "grammy";
import { ConfirmationStore } from "../access/confirmation-store.js";
import { AlertStore } from "../alerts/alert-store.js";
import { AlertClaims } from "../alerts/claims.js";
import { MuteStore } from "../alerts/mute-store.js";
import { AuditLog } from "../audit/audit-log.js";
import { secretChatsOf } from "../config/index.js";
import { InstanceActions } from "../instance-actions/instance-actions.js";
import { LiveCheck } from "../status/live-check.js";
import { QuotaStore } from "../green-api/quota-store.js";
import type { PairingJob } from "../pairing/pairing-queue.js";
import { PairingService } from "../pairing/pairing-service.js";
import { PairingStore } from "../pairing/pairing-store.js";
import type { QrJob } from "../qr-session/qr-queue.js";
import { SessionStarter } from "../qr-session/session-starter.js";
import type { FeatureDeps } from "../telegram/bot.js";
import { textsFor } from "../telegram/i18n/index.js";
import { PairingScreen } from "../telegram/pairing-screen.js";
import { SessionScreen } from "../telegram/session-screen.js";
import { linking } from "./linking.js";
import type { Shared } from "./shared.js";

/**
 * What the bot's features need, on the bot's own Api (paced, capped retries): the feature cores
 * behind each command, wired once.
 */
export function botFeatureDeps(
  shared: Shared,
  api: Api,
  queues: { qr: Queue<QrJob>; pairing: Queue<PairingJob>; capacity: number },
): FeatureDeps {
  const { config, settings, connections, store, greenApi } = shared;
  const { env } = config;
  const redis = connections.main;
  const prefix = env.REDIS_PREFIX;
  const logger = shared.logger.child({ part: "bot" });
  const screen = new SessionScreen(api, env.QR_TIMEOUT_MS);
  const audit = new AuditLog(redis, prefix, shared.logger.child({ part: "audit" }));
  const pairingStore = new PairingStore(redis, prefix);
  const { knownPhones, userNames } = linking(shared);
  const actions = new InstanceActions({ calls: greenApi, audit, logger });
  return {
    // "I'm on it" on alerts (without the watcher there is no incident: a press says so).
    alertClaims: new AlertClaims(new AlertStore(redis, prefix), redis, prefix),
    alertTexts: textsFor(env.ALERT_LANGUAGE),
    // The digest's "Show all" pages through the watcher's record of it.
    alertMessages: new AlertStore(redis, prefix),
    knownPhones,
    userNames,
    // /status for more than a few instances reads the watcher's records (no GREEN-API call).
    watches: new AlertStore(redis, prefix),
    watcherOff: env.STATE_POLL_INTERVAL_MS === 0,
    instances: config.instances,
    store,
    screen,
    audit,
    actions,
    logger,
    pairingStore,
    starter: new SessionStarter({
      store,
      queue: queues.qr,
      screen,
      timeoutMs: env.QR_TIMEOUT_MS,
      capacity: queues.capacity,
      chatSlots: shared.chatSlots,
      chatHoldMs: settings.chatHoldMs,
      logger,
    }),
    pairing: new PairingService(
      {
        greenApi,
        store: pairingStore,
        queue: queues.pairing,
        screen: new PairingScreen(api),
        audit,
        logger,
      },
      { codeTtlMs: env.PAIRING_CODE_TTL_MS, cooldownMs: env.PAIRING_CODE_COOLDOWN_MS },
    ),
    mutes: new MuteStore(redis, prefix),
    quotas: new QuotaStore(redis, prefix),
    confirmations: new ConfirmationStore(redis, { prefix, ttlMs: env.CONFIRM_TTL_MS }),
    trustedChatIds: secretChatsOf(env),
    defaultPhoneCountry: env.DEFAULT_PHONE_COUNTRY,
    live: new LiveCheck(greenApi, { timeoutMs: settings.statusTimeoutMs }),
  };
}
