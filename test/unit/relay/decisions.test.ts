import { describe, expect, it } from "vitest";
import {
  admit,
  afterFailure,
  alertStep,
  type FailureState,
  HEALTHY,
  retryDelayMs,
} from "../../../src/relay/decisions.js";

const LIMITS = { maxPerInstance: 3, maxBytes: 1_000 };

describe("admit: the backlog caps (per instance in count, overall in bytes)", () => {
  it.each([
    { instanceCount: 0, totalBytes: 0, size: 100, expected: "accept" },
    { instanceCount: 2, totalBytes: 899, size: 100, expected: "accept" },
    { instanceCount: 2, totalBytes: 900, size: 100, expected: "accept" }, // exactly full: fits
    { instanceCount: 3, totalBytes: 0, size: 1, expected: "instance-full" },
    { instanceCount: 0, totalBytes: 901, size: 100, expected: "bytes-full" },
    { instanceCount: 5, totalBytes: 5_000, size: 100, expected: "instance-full" }, // count first
  ] as const)("$instanceCount queued, $totalBytes B + $size B → $expected", (row) => {
    expect(admit(row, row.size, LIMITS)).toBe(row.expected);
  });
});

describe("retryDelayMs: capped exponential backoff", () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
    [10_000, 60_000],
    [0, 1_000], // never below the first wait
  ])("after %i failure(s): %i ms", (failures, ms) => {
    expect(retryDelayMs(failures)).toBe(ms);
  });

  it("follows a custom first wait and cap", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, { firstMs: 50, capMs: 150 }))).toEqual([
      50, 100, 150, 150,
    ]);
  });
});

describe("afterFailure: retry until the notification is FORWARD_MAX_AGE_MS old, then dead-letter", () => {
  const DAY = 86_400_000;
  it.each([
    { age: 0, failures: 1, expected: { kind: "retry", at: 1_000_000 + 1_000 } },
    { age: DAY - 1, failures: 3, expected: { kind: "retry", at: 1_000_000 + 4_000 } },
    { age: DAY, failures: 1_440, expected: { kind: "dead-letter" } },
    { age: 2 * DAY, failures: 1, expected: { kind: "dead-letter" } },
  ])("age $age ms, $failures failures → $expected.kind", ({ age, failures, expected }) => {
    const now = 1_000_000;
    expect(afterFailure({ queuedAt: now - age }, failures, now, { maxAgeMs: DAY })).toEqual(
      expected,
    );
  });
});

describe("alertStep: one alert per failing streak after FORWARD_ALERT_AFTER_MS, one recovery after it", () => {
  const AFTER = 600_000;
  const failing = (since: number, failures: number, alerted = false): FailureState => ({
    failingSince: since,
    failures,
    alerted,
  });
  it.each([
    {
      what: "a first failure starts the streak, silently",
      state: HEALTHY,
      outcome: "failed",
      now: 1_000,
      expected: { state: failing(1_000, 1) },
    },
    {
      what: "still failing before the threshold: silent",
      state: failing(1_000, 5),
      outcome: "failed",
      now: 1_000 + AFTER - 1,
      expected: { state: failing(1_000, 6) },
    },
    {
      what: "failing for the threshold: the alert, once",
      state: failing(1_000, 6),
      outcome: "failed",
      now: 1_000 + AFTER,
      expected: { state: failing(1_000, 7, true), notice: "failing" },
    },
    {
      what: "failing on after the alert: no second alert",
      state: failing(1_000, 7, true),
      outcome: "failed",
      now: 1_000 + 5 * AFTER,
      expected: { state: failing(1_000, 8, true) },
    },
    {
      what: "delivered after the alert: the recovery message",
      state: failing(1_000, 8, true),
      outcome: "delivered",
      now: 1_000 + 6 * AFTER,
      expected: { state: HEALTHY, notice: "recovered" },
    },
    {
      what: "delivered after a blip (no alert sent): nothing to say",
      state: failing(1_000, 2),
      outcome: "delivered",
      now: 5_000,
      expected: { state: HEALTHY },
    },
    {
      what: "delivered while healthy: nothing",
      state: HEALTHY,
      outcome: "delivered",
      now: 5_000,
      expected: { state: HEALTHY },
    },
  ] as const)("$what", ({ state, outcome, now, expected }) => {
    expect(alertStep(state, outcome, now, AFTER)).toEqual(expected);
  });

  it("FORWARD_ALERT_AFTER_MS=0 alerts on the first failure", () => {
    expect(alertStep(HEALTHY, "failed", 7, 0)).toEqual({
      state: failing(7, 1, true),
      notice: "failing",
    });
  });
});
