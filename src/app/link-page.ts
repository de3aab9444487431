import type { LinkPagePorts } from "../http/link-page/ports.js";
import { AuditLog } from "../audit/audit-log.js";
import { csrfTokenOf, hashLinkId, LinkIdSeal, linkSealKey } from "../link-page/link-id.js";
import { LinkCodes } from "../link-page/link-code.js";
import { PairingStore } from "../pairing/pairing-store.js";
import { LINK_RATE_LIMITS, type LinkRecord, pageView } from "../link-page/link-rules.js";
import { LinkService } from "../link-page/link-service.js";
import { LinkStore } from "../link-page/link-store.js";
import { LiveQrChannel } from "../link-page/live-qr.js";
import { MiniAppViews } from "../link-page/mini-app.js";
import { PageFeed } from "../link-page/page-feed.js";
import type { LinkQrStarter } from "../link-page/ports.js";
import { qrJobs, sessionCapacity } from "../qr-session/qr-queue.js";
import { SessionStarter } from "../qr-session/session-starter.js";
import { localeOf } from "../shared/locale.js";
import { LinkMessageScreen } from "../telegram/link-screen.js";
import { SessionScreen } from "../telegram/session-screen.js";
import type { Shared } from "./shared.js";

/** Expired links are looked for this often (their operators are told within this). */
const SWEEP_EVERY_MS = 15_000;
/** Two pages opened at once start one QR session, not two. */
const START_LOCK_MS = 10_000;

export interface LinkPageParts {
  service: LinkService;
  /** The QR sessions publish here (the worker), the page streams read here (HTTP). */
  channel: LiveQrChannel;
  /** For the HTTP server's /l/ routes. */
  ports: LinkPagePorts;
  start(): void;
  stop(): void;
}

/**
 * The link page's parts (PUBLIC_URL set): the links, the live QR channel, the page's ports, and
 * the sweep that tells operators of expired links. Every process builds them: workers publish
 * QRs and credit linkings, the bot makes links, the HTTP server serves the page.
 */
export function linkPageParts(shared: Shared): LinkPageParts | undefined {
  const { config, connections, access, logger: parent } = shared;
  const { env } = config;
  if (!env.PUBLIC_URL) return undefined;
  const redis = connections.main;
  const prefix = env.REDIS_PREFIX;
  const logger = parent.child({ part: "link-page" });
  const store = new LinkStore(redis, prefix);
  const sealKey = linkSealKey(env.BOT_TOKEN);
  const api = shared.telegram.live();
  const service = new LinkService(
    {
      store,
      seal: new LinkIdSeal(sealKey),
      screen: new LinkMessageScreen(api),
      audit: new AuditLog(redis, prefix, parent.child({ part: "audit" })),
      logger,
    },
    {
      ttlMs: env.LINK_TTL_MS,
      maxPerInstance: env.LINK_MAX_PER_INSTANCE,
      publicUrl: env.PUBLIC_URL,
      auditIps: env.AUDIT_IPS === "1",
    },
  );
  // The subscriber waits out a reconnect (offline queue) and resubscribes by itself (ioredis).
  const channel = new LiveQrChannel(redis, () => connections.forBullMq(), prefix);
  const makerMayOperate = (record: LinkRecord) => {
    const instance = config.instances.find(record.instance);
    return instance !== undefined && access.may(record.createdBy, instance, "operate");
  };
  const feed = new PageFeed({
    links: service,
    channel,
    starter: qrStarter(shared),
    makerMayOperate,
    logger,
  });
  const codes = new LinkCodes(
    {
      links: service,
      greenApi: shared.greenApi,
      instances: config.instances,
      // The cooldown is /code's own: one code per instance per PAIRING_CODE_COOLDOWN_MS.
      pairingStore: new PairingStore(redis, prefix),
      logger,
    },
    {
      cooldownMs: env.PAIRING_CODE_COOLDOWN_MS,
      ...(env.DEFAULT_PHONE_COUNTRY ? { defaultCountry: env.DEFAULT_PHONE_COUNTRY } : {}),
    },
  );
  const miniApp = new MiniAppViews({
    redis,
    prefix,
    botToken: env.BOT_TOKEN,
    channel,
    mayOperate: (userId, name) => {
      const instance = config.instances.find(name);
      return instance !== undefined && access.may(userId, instance, "operate");
    },
    logger,
  });
  const ports: LinkPagePorts = {
    async open(id, userAgent, ip) {
      const record = await feed.liveRecord(id);
      if (!record) return undefined;
      const view = pageView(record, Date.now());
      if (view.kind === "live") await service.opened(record, userAgent, ip);
      return {
        state: view.kind === "linked" ? "linked" : "live",
        instance: record.instance,
        expiresAt: record.expiresAt,
      };
    },
    watch: (id, send, signal) => feed.watch(id, send, signal),
    // Keys of a link's own limit are its id's hash: Redis never holds a working id.
    hit: (kind, key) => {
      const { limit, windowMs } = LINK_RATE_LIMITS[kind];
      const perLink = kind === "view" || kind === "code";
      return store.hit(`${kind}:${perLink ? hashLinkId(key) : key}`, limit, windowMs);
    },
    over: async (kind, key) =>
      (await store.count(`${kind}:${key}`)) >= LINK_RATE_LIMITS[kind].limit,
    trustedProxies: env.TRUSTED_PROXIES ?? [],
    async requestCode(id, phone, country) {
      const record = await feed.liveRecord(id);
      if (!record || pageView(record, Date.now()).kind !== "live") return undefined;
      return codes.request(record, phone, country);
    },
    csrfToken: (id) => csrfTokenOf(sealKey, id),
    miniApp: {
      authorize: (name, initData) => miniApp.authorize(name, initData),
      watch: (name, token, send, signal) => miniApp.watch(name, token, send, signal),
    },
    ...(env.DEFAULT_PHONE_COUNTRY ? { defaultCountry: env.DEFAULT_PHONE_COUNTRY } : {}),
  };
  let sweep: NodeJS.Timeout | undefined;
  return {
    service,
    channel,
    ports,
    start() {
      sweep = setInterval(() => {
        service.sweepExpired().catch((error: unknown) => {
          logger.warn({ err: error }, "could not sweep expired links");
        });
      }, SWEEP_EVERY_MS);
      sweep.unref();
    },
    stop() {
      clearInterval(sweep);
      channel.close();
    },
  };
}

/**
 * A QR session for an open link page with no QR to show: in the link maker's private chat (the
 * one place besides the page the QR may be), as their /qr would. One at a time per instance.
 */
function qrStarter(shared: Shared): LinkQrStarter {
  const { config, connections, settings, store } = shared;
  const { env } = config;
  const starter = new SessionStarter({
    store,
    queue: shared.queues.of(qrJobs),
    screen: new SessionScreen(
      shared.telegram.live(),
      env.QR_TIMEOUT_MS,
      undefined,
      miniAppUrlOf(env.PUBLIC_URL),
    ),
    timeoutMs: env.QR_TIMEOUT_MS,
    capacity: sessionCapacity(env.QR_EDITS_PER_SECOND, env.QR_MAX_SESSIONS),
    chatSlots: shared.chatSlots,
    chatHoldMs: settings.chatHoldMs,
    logger: shared.logger.child({ part: "link-page" }),
  });
  return {
    async ensureRunning(record) {
      if (await store.get(record.instance)) return;
      const lock = `${env.REDIS_PREFIX}:link-qr-start:${record.instance}`;
      if ((await connections.main.set(lock, "1", "PX", START_LOCK_MS, "NX")) !== "OK") return;
      try {
        await starter.startInNewMessage({
          chatId: record.createdBy,
          instance: record.instance,
          userId: record.createdBy,
          locale: localeOf(record.locale),
        });
      } finally {
        // The session's claim now keeps others from starting a second one.
        await connections.main.del(lock).catch(() => undefined);
      }
    },
  };
}

/** "🔍 Full screen" on QR messages: the Mini App's address, when PUBLIC_URL is set. */
export function miniAppUrlOf(publicUrl: string | undefined) {
  return publicUrl ? (instance: string) => `${publicUrl}/m/${instance}` : undefined;
}
