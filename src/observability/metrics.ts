import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AlertCounters } from "../alerts/ports.js";
import type { AlertItem } from "../alerts/watch-state.js";
import type { IngestMetrics } from "../http/webhook-ingest.js";
import type { QrCounters } from "../qr-session/ports.js";
import type { RefusalCounter, RefusalReason, RefusalWhere } from "../shared/refusals.js";

/**
 * greenlight's Prometheus metrics, one registry per app (tests run several apps in one process).
 * Each process exposes its own on /metrics; counters count what that process did. Features count
 * through the narrow ports they declare (QrCounters, AlertCounters); HTTP serves the registry.
 */
export class Metrics implements QrCounters, AlertCounters, IngestMetrics, RefusalCounter {
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
  private activeSessionsSource: () => Promise<number> = async () => 0;

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
    collectDefaultMetrics({ register: this.registry, prefix: "greenlight_" });
  }

  /** Where the active-sessions gauge reads from (the QR queue's active jobs). */
  countActiveSessionsWith(source: () => Promise<number>): void {
    this.activeSessionsSource = source;
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

  refused(where: RefusalWhere, reason: RefusalReason): void {
    this.refusals.inc({ where, reason });
  }

  alertSent(kind: AlertItem["kind"]): void {
    this.alertsSent.inc({ kind });
  }
}
