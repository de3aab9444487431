import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { RefusalReason, RefusalWhere } from "../shared/refusals.js";
import { causeLabel, fixerLabel, methodLabel } from "./labels.js";
import type { FleetSnapshot, RelayTotals } from "./sources.js";

export type { FleetSnapshot, RelayTotals };

/** A fleet read for one scrape serves every fleet gauge of that scrape. */
const FLEET_SNAPSHOT_TTL_MS = 1_000;

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
    help: "Alert lines sent, by kind (down, unreachable, stuck, offline)",
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
  /** Incidents opened (the history calls incidentOpened), by cause: bounded labels. */
  readonly incidents = new Counter({
    name: "greenlight_incidents_total",
    help: "Incidents opened, by cause (a GREEN-API state, unreachable, stuck)",
    labelNames: ["cause"] as const,
    registers: [this.registry],
  });
  readonly downSeconds = new Counter({
    name: "greenlight_instance_down_seconds_total",
    help: "Seconds instances were down, counted when each incident ends",
    registers: [this.registry],
  });
  /** Time to fix, by who or what fixed it. */
  readonly incidentDuration = new Histogram({
    name: "greenlight_incident_duration_seconds",
    help: "How long incidents lasted, by how they were fixed (qr, code, reboot, link_page, itself)",
    labelNames: ["fixed_by"] as const,
    buckets: [60, 300, 900, 1_800, 3_600, 7_200, 21_600, 86_400],
    registers: [this.registry],
  });
  /** Every Bot API request that went out (after pacing), by method. */
  readonly telegramRequests = new Counter({
    name: "greenlight_telegram_requests_total",
    help: "Telegram Bot API requests sent, by method",
    labelNames: ["method"] as const,
    registers: [this.registry],
  });
  readonly telegram429s = new Counter({
    name: "greenlight_telegram_rate_limited_total",
    help: "Telegram Bot API requests answered 429 Too Many Requests, by method",
    labelNames: ["method"] as const,
    registers: [this.registry],
  });
  readonly telegramBudget = new Gauge({
    name: "greenlight_telegram_budget_per_second",
    help: "Sends and edits per second the bot allows itself (TELEGRAM_BOT_SENDS_PER_SECOND; 0: not paced)",
    registers: [this.registry],
  });
  private activeSessionsSource: () => Promise<number> = async () => 0;
  private fleetSource?: () => Promise<FleetSnapshot>;
  private fleetRead?: { at: number; snapshot: Promise<FleetSnapshot | undefined> };
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
  private relayBacklogSource: () => Promise<RelayTotals | undefined> = async () => undefined;

  constructor(options: { instanceLabels?: boolean } = {}) {
    this.fleetGauges(options.instanceLabels === true);
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

  /**
   * The fleet gauges, read from the watch records at each scrape (one read serves them all).
   * greenlight_instance_up is one count by default and one series per instance when asked:
   * fleets can be large, and Prometheus keeps every series.
   */
  private fleetGauges(instanceLabels: boolean): void {
    const read = () => this.fleet();
    const from = (pick: (fleet: FleetSnapshot) => number) =>
      async function collect(this: Gauge) {
        const fleet = await read();
        if (fleet) this.set(pick(fleet));
      };
    new Gauge({
      name: "greenlight_instance_up",
      help: instanceLabels
        ? "1 when the instance is authorized with no open incident, else 0"
        : "Instances authorized with no open incident (METRICS_INSTANCE_LABELS=1: one series each)",
      labelNames: instanceLabels ? (["instance"] as const) : [],
      registers: [this.registry],
      async collect() {
        const fleet = await read();
        if (!fleet) return;
        if (!instanceLabels) return this.set(fleet.up);
        this.reset();
        for (const [instance, up] of fleet.perInstance) this.set({ instance }, up ? 1 : 0);
      },
    });
    // The same count whatever METRICS_INSTANCE_LABELS says: what dashboards and rules use.
    new Gauge({
      name: "greenlight_instances_up",
      help: "Instances authorized with no open incident",
      registers: [this.registry],
      collect: from((fleet) => fleet.up),
    });
    new Gauge({
      name: "greenlight_instances",
      help: "Instances watched",
      registers: [this.registry],
      collect: from((fleet) => fleet.instances),
    });
    new Gauge({
      name: "greenlight_instances_stuck",
      help: "Authorized instances whose GREEN-API send queue does not move (STUCK_AFTER_MS)",
      registers: [this.registry],
      collect: from((fleet) => fleet.stuck),
    });
    new Gauge({
      name: "greenlight_longest_outage_seconds",
      help: "How long the longest open outage has lasted so far (0: none)",
      registers: [this.registry],
      collect: from((fleet) => fleet.longestDownMs / 1_000),
    });
  }

  /** Whether Redis answers, asked at each scrape (Prometheus cannot read /healthz's JSON). */
  checkRedisWith(ping: () => Promise<boolean>): void {
    new Gauge({
      name: "greenlight_redis_up",
      help: "1 when Redis answered this process's ping at the scrape, else 0",
      registers: [this.registry],
      async collect() {
        this.set((await ping().catch(() => false)) ? 1 : 0);
      },
    });
  }

  /** Where the fleet gauges read from (app/ passes the watch records' reader). */
  readFleetWith(source: () => Promise<FleetSnapshot>): void {
    this.fleetSource = source;
    this.fleetRead = undefined;
  }

  private fleet(): Promise<FleetSnapshot | undefined> {
    const source = this.fleetSource;
    if (!source) return Promise.resolve(undefined);
    const now = Date.now();
    if (!this.fleetRead || now - this.fleetRead.at > FLEET_SNAPSHOT_TTL_MS) {
      // A failed read (Redis down: greenlight_redis_up says so) keeps the last values.
      this.fleetRead = { at: now, snapshot: source().catch(() => undefined) };
    }
    return this.fleetRead.snapshot;
  }

  /** An incident opened (IncidentCounters, called by the history). */
  incidentOpened(cause: string): void {
    this.incidents.inc({ cause: causeLabel(cause) });
  }

  /** An incident ended after `durationMs`, fixed by `fixedBy` (IncidentCounters). */
  incidentClosed(durationMs: number, fixedBy: string): void {
    const seconds = Math.max(0, durationMs) / 1_000;
    this.downSeconds.inc(seconds);
    this.incidentDuration.observe({ fixed_by: fixerLabel(fixedBy) }, seconds);
  }

  /** One Bot API request sent, and whether Telegram answered 429 (TelegramCallCounters). */
  telegramCall(method: string, rateLimited: boolean): void {
    const label = { method: methodLabel(method) };
    this.telegramRequests.inc(label);
    if (rateLimited) this.telegram429s.inc(label);
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

  /** One item of an alert message sent: "down", "unreachable", "stuck" or "offline". */
  alertSent(kind: string): void {
    this.alertsSent.inc({ kind });
  }
}
