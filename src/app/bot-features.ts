import type { Queue } from "bullmq";
import type { Api } from "grammy";
import { ConfirmationStore } from "../access/confirmation-store.js";
import { AlertClaims } from "../alerts/claims.js";
import { MuteStore } from "../alerts/mute-store.js";
import { AuditLog } from "../audit/audit-log.js";
import { secretChatsOf } from "../config/index.js";
import { QuotaStore } from "../green-api/quota-store.js";
import { InstanceActions } from "../instance-actions/instance-actions.js";
import type { PairingJob } from "../pairing/pairing-queue.js";
import { PairingService } from "../pairing/pairing-service.js";
import { PairingStore } from "../pairing/pairing-store.js";
import type { QrJob } from "../qr-session/qr-queue.js";
import { SessionStarter } from "../qr-session/session-starter.js";
import { backlogReader } from "../relay/relay-store.js";
import { LiveCheck } from "../status/live-check.js";
import type { FeatureDeps } from "../telegram/bot.js";
import type { AdminFeatureDeps } from "../telegram/features/admin/index.js";
import type { ClaimFeatureDeps } from "../telegram/features/claim/index.js";
import type { CodeFeatureDeps } from "../telegram/features/code/index.js";
import type { DigestPagerFeatureDeps } from "../telegram/features/digest-pager/index.js";
import type { QrFeatureDeps } from "../telegram/features/qr/index.js";
import type { StatusFeatureDeps } from "../telegram/features/status/index.js";
import { PairingScreen } from "../telegram/pairing-screen.js";
import { SessionScreen } from "../telegram/session-screen.js";
import { webhookSetup } from "./webhook-setup.js";
import { HistoryQuery } from "../history/history-query.js";
import { historyStore, rebootsNoted } from "./history.js";
import { linking } from "./linking.js";
import { type LinkPageParts, miniAppUrlOf } from "./link-page.js";
import type { Shared } from "./shared.js";

type BotQueues = { qr: Queue<QrJob>; pairing: Queue<PairingJob>; capacity: number };

/**
 * What the bot's features need, on the bot's own Api (paced, capped retries): what several
 * features share is built once (botBase), then each feature's deps by its own factory below.
 */
export function botFeatureDeps(
  shared: Shared,
  api: Api,
  queues: BotQueues,
  linkPage?: LinkPageParts,
): FeatureDeps {
  const base = botBase(shared, api, queues);
  const { audit, mutes } = base;
  return {
    qr: qrDeps(base),
    code: codeDeps(base, api, queues),
    status: statusDeps(base),
    admin: adminDeps(base),
    audit: { audit, userNames: { nameOf: (userId) => base.userNames.knownName(userId) } },
    instances: { instances: shared.config.instances },
    mute: { mutes, audit, userNames: base.userNames },
    claim: claimDeps(base),
    digestPager: digestPagerDeps(base),
    webhook: {
      setup: webhookSetup(shared, {
        audit,
        logger: base.logger,
        backlog: {
          backlogOf: backlogReader(shared.connections.main, shared.config.env.REDIS_PREFIX),
        },
      }),
      confirmations: base.confirmations,
    },
    history: { query: base.history },
    // Without PUBLIC_URL /link says what to set.
    link: { userNames: base.userNames, ...(linkPage ? { links: linkPage.service } : {}) },
  };
}

/** The stores and services more than one feature uses, one of each. */
function botBase(shared: Shared, api: Api, queues: BotQueues) {
  const { config, connections, settings } = shared;
  const { env } = config;
  const redis = connections.main;
  const prefix = env.REDIS_PREFIX;
  const logger = shared.logger.child({ part: "bot" });
  const audit = new AuditLog(redis, prefix, shared.logger.child({ part: "audit" }));
  const screen = new SessionScreen(api, env.QR_TIMEOUT_MS, undefined, miniAppUrlOf(env.PUBLIC_URL));
  const { knownPhones, userNames } = linking(shared);
  const history = historyStore(shared);
  return {
    shared,
    logger,
    audit,
    knownPhones,
    userNames,
    screen,
    // The watcher's records: alert messages (claims, the digest's pages), /status for a fleet.
    alerts: shared.alertStore,
    mutes: new MuteStore(redis, prefix),
    pairingStore: new PairingStore(redis, prefix),
    confirmations: new ConfirmationStore(redis, { prefix, ttlMs: env.CONFIRM_TTL_MS }),
    // A reboot that GREEN-API took is the fix of the incident open now (the history's "reboot").
    actions: new InstanceActions({
      calls: shared.greenApi,
      audit: rebootsNoted(audit, history, userNames),
      logger,
    }),
    history: new HistoryQuery(history),
    trustedChatIds: secretChatsOf(env),
    starter: new SessionStarter({
      store: shared.store,
      queue: queues.qr,
      screen,
      timeoutMs: env.QR_TIMEOUT_MS,
      capacity: queues.capacity,
      chatSlots: shared.chatSlots,
      chatHoldMs: settings.chatHoldMs,
      logger,
    }),
    alertTexts: shared.alertLanguage,
  };
}
type BotBase = ReturnType<typeof botBase>;

function qrDeps(base: BotBase): QrFeatureDeps {
  const { starter, screen, audit, confirmations, actions, trustedChatIds, logger } = base;
  const store = base.shared.store;
  return {
    starter,
    store,
    screen,
    audit,
    confirmations,
    actions,
    trustedChatIds,
    logger,
    userNames: base.userNames,
  };
}

function codeDeps(base: BotBase, api: Api, queues: BotQueues): CodeFeatureDeps {
  const { shared, audit, logger, pairingStore } = base;
  const { env } = shared.config;
  const pairing = new PairingService(
    {
      greenApi: shared.greenApi,
      store: pairingStore,
      queue: queues.pairing,
      screen: new PairingScreen(api),
      audit,
      logger,
    },
    { codeTtlMs: env.PAIRING_CODE_TTL_MS, cooldownMs: env.PAIRING_CODE_COOLDOWN_MS },
  );
  return {
    pairing,
    pairingStore,
    starter: base.starter,
    confirmations: base.confirmations,
    actions: base.actions,
    trustedChatIds: base.trustedChatIds,
    defaultPhoneCountry: env.DEFAULT_PHONE_COUNTRY,
    knownPhones: base.knownPhones,
    userNames: base.userNames,
  };
}

function statusDeps(base: BotBase): StatusFeatureDeps {
  const { shared } = base;
  const { connections, config, settings } = shared;
  return {
    live: new LiveCheck(shared.greenApi, { timeoutMs: settings.statusTimeoutMs }),
    // Above a few instances /status reads the watcher's records (no GREEN-API call).
    watches: base.alerts,
    watcherOff: config.env.STATE_POLL_INTERVAL_MS === 0,
    knownPhones: base.knownPhones,
    mutes: base.mutes,
    quotas: new QuotaStore(connections.main, config.env.REDIS_PREFIX),
    // The relay's backlog (src/relay/): shown under /status <instance> while it is not empty.
    relayBacklog: backlogReader(connections.main, config.env.REDIS_PREFIX),
    uptime: base.history,
  };
}

function adminDeps(base: BotBase): AdminFeatureDeps {
  return { confirmations: base.confirmations, actions: base.actions, userNames: base.userNames };
}

/** "I'm on it" on alerts (without the watcher there is no incident: a press says so). */
function claimDeps(base: BotBase): ClaimFeatureDeps {
  const { connections, config } = base.shared;
  const claims = new AlertClaims(base.alerts, connections.main, config.env.REDIS_PREFIX);
  return { alertClaims: claims, alertTexts: base.alertTexts, userNames: base.userNames };
}

/** The digest's "Show all" pages through the watcher's record of it. */
function digestPagerDeps(base: BotBase): DigestPagerFeatureDeps {
  return { alertMessages: base.alerts, alertTexts: base.alertTexts };
}
