import { afterEach, describe, expect, it, vi } from "vitest";
import { fleetGauges } from "../../../src/alerts/fleet-gauges.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import { type FleetSnapshot, Metrics } from "../../../src/observability/metrics.js";

const incident = (since: number) => ({ since, initial: false, unsent: [], messages: [] });
const watch = (extra: Partial<InstanceWatch>): InstanceWatch => ({ failures: 0, ...extra });

/** The value lines of one metric family in the exposition text. */
async function series(metrics: Metrics, name: string): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`));
}

describe("fleet gauges from the watch records (pure)", () => {
  const table: Array<{ name: string; watch: InstanceWatch | undefined; up: boolean }> = [
    { name: "authorized, nothing open", watch: watch({ state: "authorized" }), up: true },
    { name: "never checked", watch: undefined, up: false },
    {
      name: "logged out",
      watch: watch({ state: "notAuthorized", down: incident(0) }),
      up: false,
    },
    {
      name: "a bad state seen once (a suspect, not yet an incident) is not authorized",
      watch: watch({
        state: "notAuthorized",
        suspect: { state: "notAuthorized", since: 0, checks: 1 },
      }),
      up: false,
    },
    {
      name: "authorized but GREEN-API unreachable",
      watch: watch({ state: "authorized", unreachable: incident(0) }),
      up: false,
    },
    {
      name: "authorized but its queue is stuck",
      watch: watch({ state: "authorized", stuck: incident(0) }),
      up: false,
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.up ? "up" : "not up"}`, () => {
      const fleet = fleetGauges(new Map([["shop", row.watch]]), 1_000);
      expect(fleet.perInstance).toEqual([["shop", row.up]]);
      expect(fleet.up).toBe(row.up ? 1 : 0);
    });
  }

  it("counts the fleet, the stuck and the longest open outage", () => {
    const fleet = fleetGauges(
      new Map<string, InstanceWatch | undefined>([
        ["a", watch({ state: "authorized" })],
        ["b", watch({ state: "notAuthorized", down: incident(40_000) })],
        ["c", watch({ state: "blocked", down: incident(10_000) })],
        ["d", watch({ state: "authorized", stuck: incident(50_000) })],
      ]),
      100_000,
    );
    expect(fleet).toMatchObject({ instances: 4, up: 1, stuck: 1, longestDownMs: 90_000 });
  });
});

describe("Metrics: bounded labels", () => {
  afterEach(() => vi.useRealTimers());
  const fleet: FleetSnapshot = {
    instances: 3,
    up: 2,
    stuck: 1,
    longestDownMs: 120_000,
    perInstance: [
      ["shop", true],
      ["support", true],
      ["sales", false],
    ],
  };

  it("greenlight_instance_up is one fleet count by default, with no instance label", async () => {
    const metrics = new Metrics();
    metrics.readFleetWith(async () => fleet);
    expect(await series(metrics, "greenlight_instance_up")).toEqual(["greenlight_instance_up 2"]);
    expect(await series(metrics, "greenlight_instances")).toEqual(["greenlight_instances 3"]);
    expect(await series(metrics, "greenlight_instances_up")).toEqual(["greenlight_instances_up 2"]);
    expect(await series(metrics, "greenlight_instances_stuck")).toEqual([
      "greenlight_instances_stuck 1",
    ]);
    expect(await series(metrics, "greenlight_longest_outage_seconds")).toEqual([
      "greenlight_longest_outage_seconds 120",
    ]);
  });

  it("METRICS_INSTANCE_LABELS=1 gives one series per instance", async () => {
    const metrics = new Metrics({ instanceLabels: true });
    metrics.readFleetWith(async () => fleet);
    expect((await series(metrics, "greenlight_instance_up")).sort()).toEqual([
      'greenlight_instance_up{instance="sales"} 0',
      'greenlight_instance_up{instance="shop"} 1',
      'greenlight_instance_up{instance="support"} 1',
    ]);
    expect(await series(metrics, "greenlight_instances_up")).toEqual(["greenlight_instances_up 2"]);
  });

  it("a scrape with Redis down still answers: the fleet keeps its last values, redis_up says 0", async () => {
    const metrics = new Metrics();
    let redisUp = true;
    metrics.checkRedisWith(async () => redisUp);
    metrics.readFleetWith(async () => {
      if (!redisUp) throw new Error("Redis is down");
      return fleet;
    });
    expect(await series(metrics, "greenlight_redis_up")).toEqual(["greenlight_redis_up 1"]);
    redisUp = false;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 1_100); // past the one read a scrape's gauges share
    expect(await series(metrics, "greenlight_redis_up")).toEqual(["greenlight_redis_up 0"]);
    expect(await series(metrics, "greenlight_instances")).toEqual(["greenlight_instances 3"]);
  });

  it("fits the history's IncidentCounters port, and reads its fixers' spellings", async () => {
    const counters: {
      incidentOpened(cause: string): void;
      incidentClosed(durationMs: number, fixedBy: string): void;
    } = new Metrics();
    const metrics = counters as Metrics;
    for (const fixer of ["link-page", "Link page", "by itself", "self", "QR", "pairing-code"]) {
      metrics.incidentClosed(1_000, fixer);
    }
    expect(await series(metrics, "greenlight_incident_duration_seconds_count")).toEqual([
      'greenlight_incident_duration_seconds_count{fixed_by="link_page"} 2',
      'greenlight_incident_duration_seconds_count{fixed_by="itself"} 2',
      'greenlight_incident_duration_seconds_count{fixed_by="qr"} 1',
      'greenlight_incident_duration_seconds_count{fixed_by="code"} 1',
    ]);
  });

  it("incident causes and fixers outside the known sets count as 'other'", async () => {
    const metrics = new Metrics();
    metrics.incidentOpened("notAuthorized");
    metrics.incidentOpened("x".repeat(300));
    metrics.incidentClosed(90_000, "qr");
    metrics.incidentClosed(30_000, "someone's name");
    expect(await series(metrics, "greenlight_incidents_total")).toEqual([
      'greenlight_incidents_total{cause="notAuthorized"} 1',
      'greenlight_incidents_total{cause="other"} 1',
    ]);
    expect(await series(metrics, "greenlight_instance_down_seconds_total")).toEqual([
      "greenlight_instance_down_seconds_total 120",
    ]);
    const counts = await series(metrics, "greenlight_incident_duration_seconds_count");
    expect(counts).toEqual([
      'greenlight_incident_duration_seconds_count{fixed_by="qr"} 1',
      'greenlight_incident_duration_seconds_count{fixed_by="other"} 1',
    ]);
  });

  it("counts Telegram requests and 429s by method, never by anything else", async () => {
    const metrics = new Metrics();
    metrics.telegramCall("editMessageMedia", false);
    metrics.telegramCall("editMessageMedia", true);
    metrics.telegramCall("chat 123 token", false);
    expect(await series(metrics, "greenlight_telegram_requests_total")).toEqual([
      'greenlight_telegram_requests_total{method="editMessageMedia"} 2',
      'greenlight_telegram_requests_total{method="other"} 1',
    ]);
    expect(await series(metrics, "greenlight_telegram_rate_limited_total")).toEqual([
      'greenlight_telegram_rate_limited_total{method="editMessageMedia"} 1',
    ]);
  });
});
