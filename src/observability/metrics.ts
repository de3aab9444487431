import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { RefusalReason, RefusalWhere } from "../shared/refusals.js";

/** The relay's backlog, every instance together (relay-store.ts `totals`). */
export interface RelayTotals {
  count: number;
  bytes: number;
  oldestAt?: number;
  dead: number;
}

/**
 * greenlight's Prometheus metrics, one registry per app (tests run several apps in one process).
 * Each process exposes its own on /metrics; counters count what that process did. A foundation:
 * it knows no feature. Each feature counts through the narrow port it declares (QrCounters,
 * AlertCounters, the HTTP server's HttpMetrics), which this class fits; app/ passes it in.
 */
export class Metrics {
  readonly registry = new Registry();
  /** QR edits that reached Telegram. */
  readonly qrEdits = new Counter({
    name: "greenlight_qr_edits_total",
    help: "QR photo edits Telegram accepted",
    registers: [this.registry],
  });
  /** From greenlight holding a new QR to Telegram showing it (render + upload + edit). */
  readonly rotationToEdit = new Histogram({
    name: "greenlight_qr_rotation_to_edit_seconds",
    help: "Time from a new QR fetched from GREEN-API to the edited photo accepted by Telegram",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly greenApiErrors = new Counter({
    name: "greenlight_green_api_errors_total",
    help: "GREEN-API calls that failed, by method and HTTP status (or timeout / network)",
    labelNames: ["method", "status"] as const,
    registers: [this.registry],
  });
  readonly alertsSent = new Counter({
    name: "greenlight_alerts_sent_total",
    help: "Incidents reported in alert messages, by kind (down, unreachable)",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: "greenlight_green_api_webhooks_total",
    help: "GREEN-API webhook requests, by result",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  /** Authenticated GREEN-API notifications acknowledged (200) without being used, by why. */
  readonly webhooksIgnored = new Counter({
    name: "greenlight_webhooks_ignored_total",
    help: "GREEN-API notifications answered 200 but not used, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  /** Notifications answered 200 and not yet handed to Redis. */
  readonly webhookQueue = new Gauge({
    name: "greenlight_webhook_queue_depth",
    help: "GREEN-API notifications acknowledged and waiting to be handed on",
    registers: [this.registry],
  });
  readonly webhooksDropped = new Counter({
    name: "greenlight_webhooks_dropped_total",
    help: "GREEN-API notifications acknowledged but never handed on, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  /** Requests and updates refused for want of a secret or a right (shared/refusals.ts). */
  readonly refusals = new Counter({
    name: "greenlight_refusals_total",
    help: "Webhook requests and bot updates refused before any work, by where and why",
    labelNames: ["where", "reason"] as const,
    registers: [this.registry],
  });
  /** The webhook relay (src/relay/): fleet-wide, never per instance (bounded labels). */
  readonly relayForwards = new Counter({
    name: "greenlight_relay_forwarded_total",
    help: "Notifications the applications accepted (2xx)",
    registers: [this.registry],
  });
  readonly relayFailures = new Counter({
    name: "greenlight_relay_failed_total",
    help: "Forwards the applications refused or did not answer, by reason (status, timeout, network)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly relayDeadLetters = new Counter({
    name: "greenlight_relay_dead_lettered_total",
    help: "Notifications moved to the dead letters after FORWARD_MAX_AGE_MS of failures",
    registers: [this.registry],
  });
  readonly relayRefusals = new Counter({
    name: "greenlight_relay_refused_total",
    help: "Notifications answered 503 because the relay could not keep them, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly relayDelay = new Histogram({
    name: "greenlight_relay_forward_delay_seconds",
    help: "From a notification kept to its application accepting it",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300, 3600],
    registers: [this.registry],
  });
  private activeSessionsSource: () => Promise<number> = async () => 0;
  private relayBacklogSource: () => Promise<RelayTotals | undefined> = async () => undefined;

  constructor() {
    const source = () => this.activeSessionsSource();
    new Gauge({
      name: "greenlight_qr_sessions_active",
      help: "QR sessions running now (all workers)",
      registers: [this.registry],
      async collect() {
        this.set(await source().catch(() => 0));
      },
    });
    const backlog = () => this.relayBacklogSource().catch(() => undefined);
    const gauge = (name: string, help: string, read: (t: RelayTotals) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const totals = await backlog();
          if (totals) this.set(read(totals));
        },
      });
    gauge(
      "greenlight_relay_backlog",
      "Notifications waiting for their application",
      (t) => t.count,
    );
    gauge("greenlight_relay_backlog_bytes", "Bytes waiting for the applications", (t) => t.bytes);
    gauge(
      "greenlight_relay_oldest_age_seconds",
      "Age of the oldest notification waiting for its application (0: none)",
      (t) => (t.oldestAt === undefined ? 0 : Math.max(0, Date.now() - t.oldestAt) / 1000),
    );
    gauge("greenlight_relay_dead_letters", "Notifications kept in the dead letters", (t) => t.dead);
    collectDefaultMetrics({ register: this.registry, prefix: "greenlight_" });
  }

  /** Where the active-sessions gauge reads from (the QR queue's active jobs). */
  countActiveSessionsWith(source: () => Promise<number>): void {
    this.activeSessionsSource = source;
  }

  /** Where the relay's backlog gauges read from (Redis totals of every process). */
  countRelayBacklogWith(source: () => Promise<RelayTotals>): void {
    this.relayBacklogSource = source;
  }

  relayForwarded(delaySeconds: number): void {
    this.relayForwards.inc();
    this.relayDelay.observe(delaySeconds);
  }

  relayFailed(reason: "status" | "timeout" | "network"): void {
    this.relayFailures.inc({ reason });
  }

  relayDeadLettered(): void {
    this.relayDeadLetters.inc();
  }

  relayRefused(reason: "instance-full" | "bytes-full" | "unavailable"): void {
    this.relayRefusals.inc({ reason });
  }

  /** Counts GREEN-API failures by method and status; the label never holds the URL (token). */
  countingFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
    const count = (input: Parameters<typeof fetch>[0], status: string) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const method = /\/waInstance\d+\/([A-Za-z]+)\//.exec(url)?.[1] ?? "unknown";
      this.greenApiErrors.inc({ method, status });
    };
    return async (input, init) => {
      try {
        const response = await base(input, init);
        if (!response.ok) count(input, String(response.status));
        return response;
      } catch (error) {
        count(input, init?.signal?.aborted ? "timeout" : "network");
        throw error;
      }
    };
  }

  qrShown(secondsSinceFetched: number): void {
    this.qrEdits.inc();
    this.rotationToEdit.observe(secondsSinceFetched);
  }

  webhookQueueDepth(depth: number): void {
    this.webhookQueue.set(depth);
  }

  webhookDropped(reason: "shutdown", count: number): void {
    this.webhooksDropped.inc({ reason }, count);
  }

  /** One refused request or update, by where and why (fixed words: bounded labels). */
  refused(where: RefusalWhere, reason: RefusalReason): void {
    this.refusals.inc({ where, reason });
  }

  /** One item of an alert message sent: "down", "unreachable" or "offline". */
  alertSent(kind: string): void {
    this.alertsSent.inc({ kind });
  }
}
