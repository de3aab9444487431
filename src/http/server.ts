import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BodyTooLarge, readBody, sendJson } from "./io.js";
import type { AddressInfo } from "node:net";
import type { InstanceRegistry } from "../config/index.js";
import type { QuotaNotice } from "../green-api/quota-store.js";
import type { StateInstance } from "../green-api/schemas.js";
import type { Logger } from "../shared/logger.js";
import type { RefusalReason } from "../shared/refusals.js";
import {
  authenticateNotification,
  bearerToken,
  type IgnoreReason,
  instanceTokensOf,
  isAuthorized,
  judgeNotification,
  mayBeAuthentic,
  type NotificationKeys,
  senderOf,
} from "./green-api-webhook.js";
import type { HealthReport } from "./health.js";
import type { HttpMetrics, WebhookRelay, WebhookRelayAnswer } from "./ports.js";
import { LINK_PAGE_PREFIX, serveLinkPage } from "./link-page/page-routes.js";
import { MINI_APP_PREFIX, serveMiniApp } from "./link-page/mini-app-routes.js";
import type { LinkPagePorts } from "./link-page/ports.js";
import { WebhookIngest } from "./webhook-ingest.js";
import {
  serveTelegramUpdate,
  TELEGRAM_WEBHOOK_PATH,
  type TelegramWebhookHandler,
} from "./telegram-webhook.js";

export const GREEN_API_WEBHOOK_PATH = "/green-api/webhook";

export interface HttpServerDeps {
  logger: Logger;
  metrics: HttpMetrics;
  health: () => Promise<HealthReport>;
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>` (METRICS_TOKEN). */
  metricsToken?: string;
  /** The link page (/l/…); off (404) unless PUBLIC_URL is set. */
  linkPage?: LinkPagePorts;
  /** Off (404) unless WEBHOOK_SECRET is set. */
  greenApiWebhook?: {
    /** What each instance's token derives from, and 0.2.0's shared token while it is accepted. */
    keys: NotificationKeys;
    instances: InstanceRegistry;
    /** Hands the state to the watcher; the answer does not wait for the alert. */
    enqueue: (instance: string, state: StateInstance, at: number) => Promise<void>;
    /** Keeps a quotaExceeded notification for /status. */
    recordQuota: (instance: string, quota: QuotaNotice) => Promise<void>;
    /**
     * Told of every authenticated notification of a known instance, whatever its type (/webhook
     * shows when the first one came through greenlight). Must be cheap; its failure is its own.
     */
    noteSender?: (idInstance: string) => void;
    /** The phone itself sent a message then (outgoingMessageReceived): the offline warning's clock. */
    phoneSeen: (instance: string, at: number) => Promise<void>;
    /** Notifications held between the 200 and the hand-over (WEBHOOK_QUEUE_MAX). */
    queueCapacity: number;
    /** Hand-overs at once (WEBHOOK_CONCURRENCY). */
    concurrency: number;
    /** How long close() waits for the held ones to be handed on; default 5 s. */
    drainTimeoutMs?: number;
    /**
     * The relay (src/relay/): every notification of an instance with a forward target is kept in
     * Redis before the answer; not kept, the answer is 503. Unset: no relay, as before.
     */
    relay?: WebhookRelay;
  };
}

/** A full ingest answers 503 with this: GREEN-API waits about a minute anyway (REAL-API.md). */
const RETRY_AFTER_SECONDS = 60;

/** The old shared secret is worth one warning per instance this often, not one per notification. */
const SHARED_SECRET_WARN_EVERY_MS = 60 * 60_000;

/**
 * greenlight's one small HTTP server (HTTP_PORT): GREEN-API's webhook, /healthz, /metrics and,
 * with BOT_MODE=webhook, Telegram's webhook. Every request is answered; no request can crash it.
 */
export class HttpServer {
  private readonly server: Server;
  /** BOT_MODE=webhook only, set once the bot exists. */
  private telegramWebhook?: { handle: TelegramWebhookHandler; secret: string };
  /** When each instance last warned about the old shared secret (bounded: known instances). */
  private readonly sharedSecretWarned = new Map<string, number>();
  /** Present with the GREEN-API webhook: its notifications are handed on behind the 200. */
  private readonly ingest?: WebhookIngest;
  /** The known instances' tokens, for the header check; dropped whenever the instances change. */
  private instanceTokens?: Set<string>;
  private stopWatchingInstances?: () => void;

  constructor(private readonly deps: HttpServerDeps) {
    if (deps.greenApiWebhook) {
      this.ingest = new WebhookIngest({
        capacity: deps.greenApiWebhook.queueCapacity,
        concurrency: deps.greenApiWebhook.concurrency,
        metrics: deps.metrics,
        onError: (error) => deps.logger.error({ err: error }, "webhook hand-over failed"),
      });
      this.stopWatchingInstances = deps.greenApiWebhook.instances.onChange(() => {
        this.instanceTokens = undefined;
      });
    }
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error) => {
        deps.logger.error({ err: error, path: req.url?.split("?")[0] }, "HTTP handler failed");
        sendJson(res, 500, { error: "internal error" });
      });
    });
    this.server.requestTimeout = 15_000;
    this.server.headersTimeout = 10_000;
  }

  /** `secret`: Telegram's secret_token, checked on the headers before the body is read. */
  serveTelegram(handle: TelegramWebhookHandler, secret: string): void {
    this.telegramWebhook = { handle, secret };
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops taking requests, then hands on the notifications already acknowledged (bounded). */
  async close(): Promise<void> {
    this.stopWatchingInstances?.();
    if (this.server.listening) {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
    }
    if (this.ingest) {
      const dropped = await this.ingest.drain(this.deps.greenApiWebhook?.drainTimeoutMs ?? 5_000);
      if (dropped > 0) {
        this.deps.logger.warn({ dropped }, "webhook notifications dropped at shutdown");
      }
    }
  }

  /** Notifications acknowledged and not yet handed on (tests, bench). */
  get webhookQueueDepth(): number {
    return this.ingest?.depth ?? 0;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path === "/healthz" && (method === "GET" || method === "HEAD")) {
      const report = await this.deps.health();
      return sendJson(res, report.status === "ok" ? 200 : 503, report);
    }
    if (path === "/metrics" && method === "GET") {
      const token = this.deps.metricsToken;
      if (token && !isAuthorized(req.headers.authorization, token)) {
        res.setHeader("www-authenticate", 'Bearer realm="metrics"');
        return sendJson(res, 401, { error: "unauthorized" });
      }
      const { registry } = this.deps.metrics;
      const text = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType }).end(text);
      return;
    }
    if (path.startsWith(LINK_PAGE_PREFIX) && this.deps.linkPage) {
      return serveLinkPage(req, res, url, this.deps.linkPage);
    }
    if (path.startsWith(MINI_APP_PREFIX) && this.deps.linkPage) {
      return serveMiniApp(req, res, url, this.deps.linkPage);
    }
    if (path === GREEN_API_WEBHOOK_PATH && this.deps.greenApiWebhook) {
      if (method !== "POST") return sendJson(res, 405, { error: "POST only" });
      return this.greenApiWebhook(req, res, this.deps.greenApiWebhook);
    }
    if (path === TELEGRAM_WEBHOOK_PATH && this.telegramWebhook) {
      if (method !== "POST") return sendJson(res, 405, { error: "POST only" });
      return serveTelegramUpdate(req, res, this.telegramWebhook, this.deps);
    }
    sendJson(res, 404, { error: "not found" });
  }

  private async greenApiWebhook(
    req: IncomingMessage,
    res: ServerResponse,
    webhook: NonNullable<HttpServerDeps["greenApiWebhook"]>,
  ): Promise<void> {
    const { logger, metrics } = this.deps;
    const refuse = (status: number, reason: string, extra: object = {}, quiet = false) => {
      metrics.webhooks.inc({ result: String(status) });
      // Never the Authorization header or the body: either may carry secrets.
      (quiet ? logger.debug.bind(logger) : logger.warn.bind(logger))(
        { status, reason, remote: req.socket.remoteAddress, ...extra },
        "webhook refused",
      );
      sendJson(res, status, { error: reason });
    };
    const authenticated = await this.authenticatedBody(req, res, webhook);
    if (authenticated === undefined) return;
    const { body, auth } = authenticated;
    // Authenticated: 200 whatever comes of it, once the relay kept it. GREEN-API resends any
    // other answer every minute for a day, and holds the instance's later notifications behind it.
    const verdict = judgeNotification(body, webhook.instances);
    // Relayed only under the instance's own token: the old shared WEBHOOK_SECRET was every
    // instance's webhookUrlToken before 0.3.0, so any customer who read their settings holds it,
    // and would post forged messages into another customer's application, under its own token.
    if (webhook.relay && auth === "instance") {
      const relayed = await this.relay(req, body, verdict.kind !== "ignored", webhook.relay);
      if (relayed.kind === "refused") {
        res.setHeader("retry-after", String(relayed.retryAfterSeconds));
        // The relay said so already, once a minute per instance: a burst is not a WARN each.
        return refuse(503, "relay backlog full or unavailable", {}, true);
      }
      if (relayed.kind === "busy") {
        res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
        return refuse(503, "busy", { queued: this.ingest?.depth });
      }
    }
    const ignore = (reason: IgnoreReason, typeWebhook?: string) => {
      metrics.webhooks.inc({ result: "ignored" });
      metrics.webhooksIgnored.inc({ reason });
      logger.debug({ reason, typeWebhook }, "webhook ignored");
      sendJson(res, 200, { ok: true, ignored: reason });
    };
    if (verdict.kind === "ignored") return ignore(verdict.reason, verdict.typeWebhook);
    const handOn = async () => {
      try {
        if (verdict.kind === "quota") await webhook.recordQuota(verdict.instance, verdict.quota);
        else if (verdict.kind === "phone-seen")
          await webhook.phoneSeen(verdict.instance, verdict.at);
        else await webhook.enqueue(verdict.instance, verdict.state, verdict.at);
      } catch (error) {
        // Redis is down: polling is the safety net; a retry loop of a day would not help.
        metrics.webhooksIgnored.inc({ reason: "not-queued" });
        logger.warn({ err: error, instance: verdict.instance }, "could not keep a webhook");
        return;
      }
      if (verdict.kind === "quota") {
        logger.warn(
          { instance: verdict.instance, quota: verdict.quota },
          "webhook: quota exceeded",
        );
      } else if (verdict.kind === "state") {
        logger.info({ instance: verdict.instance, state: verdict.state }, "webhook: state changed");
      }
    };
    // 200 at once, the Redis write behind it: a burst never holds GREEN-API's connections. Only
    // when the queue is full (or closing) is it refused: GREEN-API then keeps the notification
    // and sends it again, where a 200 would have lost it.
    if (!this.ingest?.offer(verdict.instance, handOn)) {
      res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
      return refuse(503, "busy", { queued: this.ingest?.depth });
    }
    metrics.webhooks.inc({ result: "accepted" });
    sendJson(res, 200, { ok: true });
  }

  /**
   * Hands the body to the relay. A notification the watcher also needs is refused before the
   * relay keeps it when the ingest is full: a 503 after the relay kept it would forward it twice.
   */
  private async relay(
    req: IncomingMessage,
    body: Buffer,
    forWatcher: boolean,
    relay: WebhookRelay,
  ): Promise<WebhookRelayAnswer | { kind: "busy" }> {
    const idInstance = senderOf(body);
    if (idInstance === undefined) return { kind: "not-relayed" };
    if (forWatcher && this.ingest && !this.ingest.hasRoom) return { kind: "busy" };
    const contentType = req.headers["content-type"] ?? "application/json";
    return relay(idInstance, body, contentType);
  }

  /**
   * The body of a notification whose token vouches for the instance it names (or, in 0.3.x, the
   * old shared secret); undefined once the request is answered with a refusal. Anyone can knock:
   * a refusal is a debug line and a count, not a WARN, and a token that is neither a known
   * instance's nor the shared secret is refused on the headers, before the body is read.
   */
  private async authenticatedBody(
    req: IncomingMessage,
    res: ServerResponse,
    webhook: NonNullable<HttpServerDeps["greenApiWebhook"]>,
  ): Promise<{ body: Buffer; auth: "instance" | "shared" } | undefined> {
    const { logger, metrics } = this.deps;
    const turnAway = (status: 401 | 413, reason: RefusalReason) => {
      metrics.webhooks.inc({ result: String(status) });
      metrics.refused("green-api-webhook", reason);
      logger.debug({ status, reason, remote: req.socket.remoteAddress }, "webhook refused");
      sendJson(res, status, {
        error: status === 413 ? "body too large" : "wrong or missing secret",
      });
      return undefined;
    };
    const token = bearerToken(req.headers.authorization);
    this.instanceTokens ??= instanceTokensOf(webhook.instances, webhook.keys.tokenKey);
    if (
      token === undefined ||
      !mayBeAuthentic(token, webhook.keys.sharedSecret, this.instanceTokens)
    ) {
      req.resume();
      return turnAway(401, "wrong-secret");
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) return turnAway(413, "body-too-large");
      throw error;
    }
    const idInstance = senderOf(body);
    const known = idInstance !== undefined && webhook.instances.findById(idInstance) !== undefined;
    const sender = idInstance === undefined ? undefined : { idInstance, known };
    const auth = authenticateNotification(token, sender, webhook.keys);
    if (auth === "refused") return turnAway(401, "wrong-instance");
    if (sender?.known) webhook.noteSender?.(sender.idInstance);
    if (auth === "shared") this.warnSharedSecret(sender?.known ? sender.idInstance : "other");
    return { body, auth };
  }

  /** One WARN per instance and hour while GREEN-API still sends the old shared WEBHOOK_SECRET. */
  private warnSharedSecret(idInstance: string): void {
    const now = Date.now();
    const last = this.sharedSecretWarned.get(idInstance);
    if (last !== undefined && now - last < SHARED_SECRET_WARN_EVERY_MS) return;
    this.sharedSecretWarned.set(idInstance, now);
    this.deps.logger.warn(
      { idInstance },
      "webhook: GREEN-API sent the shared WEBHOOK_SECRET (not relayed); set this instance's own token (npm run webhook-tokens) before 0.4.0 stops accepting it",
    );
  }
}
