import { describe, expect, it } from "vitest";
import type { HistoryIncident } from "../../../src/history/incident.js";
import {
  intersectSpans,
  mergeSpans,
  type Span,
  subtractSpans,
  summarize,
  uptime,
} from "../../../src/history/uptime.js";

const H = 3_600_000;
const NOW = 1_000 * H;
/** Hours before now as a span. */
const ago = (fromH: number, toH: number): Span => ({ from: NOW - fromH * H, to: NOW - toH * H });
const always = [ago(1_000, 0)];

describe("span arithmetic", () => {
  it.each([
    {
      name: "merge joins overlaps and touching spans, drops empty ones",
      got: mergeSpans([
        { from: 5, to: 7 },
        { from: 0, to: 2 },
        { from: 2, to: 3 },
        { from: 6, to: 9 },
        { from: 4, to: 4 },
      ]),
      want: [
        { from: 0, to: 3 },
        { from: 5, to: 9 },
      ],
    },
    {
      name: "intersect keeps the common parts",
      got: intersectSpans(
        [{ from: 0, to: 10 }],
        [
          { from: 2, to: 4 },
          { from: 8, to: 12 },
        ],
      ),
      want: [
        { from: 2, to: 4 },
        { from: 8, to: 10 },
      ],
    },
    {
      name: "subtract cuts holes",
      got: subtractSpans(
        [{ from: 0, to: 10 }],
        [
          { from: 2, to: 4 },
          { from: 8, to: 12 },
        ],
      ),
      want: [
        { from: 0, to: 2 },
        { from: 4, to: 8 },
      ],
    },
  ])("$name", ({ got, want }) => expect(got).toEqual(want));
});

describe("uptime over a window, gaps excluded (pure)", () => {
  const table = [
    {
      name: "watched all day, one hour down",
      input: { watched: always, down: [ago(5, 4)], unreachable: [] },
      ratio: 23 / 24,
      downH: 1,
      unknownH: 0,
    },
    {
      name: "never down",
      input: { watched: always, down: [], unreachable: [] },
      ratio: 1,
      downH: 0,
      unknownH: 0,
    },
    {
      name: "greenlight down for 2 h (a gap): unknown, out of both sides",
      input: { watched: [ago(1_000, 10), ago(8, 0)], down: [ago(5, 4)], unreachable: [] },
      ratio: 21 / 22,
      downH: 1,
      unknownH: 2,
    },
    {
      name: "an outage across a gap counts only its watched hours as down",
      input: { watched: [ago(1_000, 10), ago(8, 0)], down: [ago(12, 6)], unreachable: [] },
      ratio: 18 / 22,
      downH: 4,
      unknownH: 2,
    },
    {
      name: "GREEN-API unreachable for 3 h: unknown too",
      input: { watched: always, down: [], unreachable: [ago(3, 0)] },
      ratio: 1,
      downH: 0,
      unknownH: 3,
    },
    {
      name: "first seen 6 h ago: only those hours count",
      input: { watched: always, down: [ago(3, 0)], unreachable: [], firstSeen: NOW - 6 * H },
      ratio: 0.5,
      downH: 3,
      unknownH: 0,
    },
    {
      name: "outages outside the window do not count",
      input: { watched: always, down: [ago(50, 30)], unreachable: [] },
      ratio: 1,
      downH: 0,
      unknownH: 0,
    },
    {
      name: "nothing watched: no figure, not 100 %",
      input: { watched: [], down: [], unreachable: [] },
      ratio: undefined,
      downH: 0,
      unknownH: 24,
    },
  ];
  it.each(table)("$name", ({ input, ratio, downH, unknownH }) => {
    const result = uptime({ now: NOW, windowMs: 24 * H, ...input });
    if (ratio === undefined) expect(result.ratio).toBeUndefined();
    else expect(result.ratio).toBeCloseTo(ratio, 10);
    expect(result.downMs).toBe(downH * H);
    expect(result.unknownMs).toBe(unknownH * H);
  });
});

describe("an instance's summary", () => {
  const outage = (fromH: number, toH: number): HistoryIncident => ({
    cause: "notAuthorized",
    since: NOW - fromH * H,
    end: NOW - toH * H,
    fix: "qr",
    escalated: false,
  });

  it("mean time to fix over closed outages, the longest outage, uptime per window; unreachable stretches are no outages", () => {
    const summary = summarize(
      {
        incidents: [
          outage(100, 99),
          outage(30, 27),
          { ...outage(10, 2), cause: "unreachable", fix: "self" },
        ],
        open: [],
      },
      always,
      NOW,
    );
    expect(summary.outages).toBe(2);
    expect(summary.meanTimeToFixMs).toBe(2 * H);
    expect(summary.longest).toEqual({ since: NOW - 30 * H, durationMs: 3 * H, open: false });
    expect(summary.uptime.day.ratio).toBe(1);
    expect(summary.uptime.week.ratio).toBeCloseTo(1 - 4 / (168 - 8), 10);
  });

  it("an open outage counts as down until now and can be the longest", () => {
    const summary = summarize(
      {
        incidents: [outage(30, 29)],
        open: [{ kind: "down", cause: "blocked", since: NOW - 6 * H }],
      },
      always,
      NOW,
    );
    expect(summary.uptime.day.ratio).toBeCloseTo(18 / 24, 10);
    expect(summary.longest).toEqual({ since: NOW - 6 * H, durationMs: 6 * H, open: true });
    expect(summary.meanTimeToFixMs).toBe(H);
  });

  it("no incidents: no mean time to fix, no longest outage", () => {
    const summary = summarize({ incidents: [], open: [] }, always, NOW);
    expect(summary.meanTimeToFixMs).toBeUndefined();
    expect(summary.longest).toBeUndefined();
  });
});
