import { describe, expect, it } from "vitest";
import {
  addShares,
  dailyShares,
  type DayTotals,
  dayOf,
  decodeDays,
  encodeDays,
  fleetFigures,
} from "../../../src/history/daily.js";
import type { HistoryIncident } from "../../../src/history/incident.js";
import { DAY_MS } from "../../../src/history/uptime.js";

const H = 3_600_000;
/** Noon of a day, far from 1970: day numbers stay readable. */
const DAY = 20_000;
const at = (day: number, hour: number) => (DAY + day) * DAY_MS + hour * H;
const outage = (
  from: number,
  to: number,
  extra: Partial<HistoryIncident> = {},
): HistoryIncident => ({
  cause: "notAuthorized",
  since: from,
  end: to,
  fix: "qr",
  escalated: false,
  ...extra,
});
const always = [{ from: at(-100, 0), to: at(100, 0) }];

describe("an incident's share of each UTC day", () => {
  it.each([
    {
      name: "within one day: its down time, one outage ended that day",
      incident: outage(at(0, 10), at(0, 12)),
      watched: always,
      want: { [DAY]: { downMs: 2 * H, unknownMs: 0, outages: 1, fixMs: 2 * H } },
    },
    {
      name: "across midnight: split by day, counted on the day it ended",
      incident: outage(at(0, 22), at(1, 3)),
      watched: always,
      want: {
        [DAY]: { downMs: 2 * H, unknownMs: 0, outages: 0, fixMs: 0 },
        [DAY + 1]: { downMs: 3 * H, unknownMs: 0, outages: 1, fixMs: 5 * H },
      },
    },
    {
      name: "greenlight down for part of it: only the watched hours are down (the fix time is whole)",
      incident: outage(at(0, 10), at(0, 14)),
      watched: [
        { from: at(-1, 0), to: at(0, 11) },
        { from: at(0, 13), to: at(2, 0) },
      ],
      want: { [DAY]: { downMs: 2 * H, unknownMs: 0, outages: 1, fixMs: 4 * H } },
    },
    {
      name: "GREEN-API unreachable: unknown time, no outage",
      incident: outage(at(0, 1), at(0, 2), { cause: "unreachable", fix: "self" }),
      watched: always,
      want: { [DAY]: { downMs: 0, unknownMs: H, outages: 0, fixMs: 0 } },
    },
  ])("$name", ({ incident, watched, want }) => {
    expect(Object.fromEntries(dailyShares(incident, watched))).toEqual(want);
  });
});

describe("an instance's fleet figures from its day totals", () => {
  const now = at(0, 12);
  const days = (entries: Record<number, Partial<DayTotals>>) =>
    new Map(
      Object.entries(entries).map(([day, t]) => [
        DAY + Number(day),
        { downMs: 0, unknownMs: 0, outages: 0, fixMs: 0, ...t },
      ]),
    );

  it.each([
    {
      name: "watched throughout, 6 h down today: the week is 6 whole days and today's 12 h",
      input: { days: days({ 0: { downMs: 6 * H, outages: 2, fixMs: 6 * H } }) },
      week: 1 - 6 / (6 * 24 + 12),
      month: 1 - 6 / (29 * 24 + 12),
      outages: 2,
      mttf: 3 * H,
    },
    {
      name: "days older than the window count for the month and the mean time to fix, not the week",
      input: { days: days({ [-10]: { downMs: 12 * H, outages: 1, fixMs: 12 * H } }) },
      week: 1,
      month: 1 - 12 / (29 * 24 + 12),
      outages: 1,
      mttf: 12 * H,
    },
    {
      name: "an open outage counts until now",
      input: {
        days: days({}),
        open: [{ kind: "down" as const, cause: "blocked" as const, since: at(0, 0) }],
      },
      week: 1 - 12 / (6 * 24 + 12),
      month: 1 - 12 / (29 * 24 + 12),
      outages: 0,
      mttf: undefined,
      down: true,
    },
    {
      name: "greenlight not watching for the last day and a half: excluded from both sides",
      input: { days: days({}), watched: [{ from: at(-100, 0), to: at(-1, 0) }] },
      week: 1,
      month: 1,
      outages: 0,
      mttf: undefined,
    },
    {
      name: "never watched: no figures",
      input: { days: days({}), watched: [] },
      week: undefined,
      month: undefined,
      outages: 0,
      mttf: undefined,
    },
    {
      name: "first seen this morning: only today counts",
      input: { days: days({ 0: { downMs: 3 * H } }), firstSeen: at(0, 6) },
      week: 0.5,
      month: 0.5,
      outages: 0,
      mttf: undefined,
    },
  ])("$name", ({ input, week, month, outages, mttf, down }) => {
    const figures = fleetFigures(
      input.days,
      input.open ?? [],
      input.watched ?? always,
      now,
      input.firstSeen,
    );
    for (const [got, want] of [
      [figures.week, week],
      [figures.month, month],
    ] as const) {
      if (want === undefined) expect(got).toBeUndefined();
      else expect(got).toBeCloseTo(want, 10);
    }
    expect(figures.outages).toBe(outages);
    expect(figures.meanTimeToFixMs).toBe(mttf);
    expect(figures.down).toBe(down ?? false);
    expect(dayOf(now)).toBe(DAY);
  });
});

describe("day totals as Redis keeps them", () => {
  const totals = (downMs: number) => ({ downMs, unknownMs: 0, outages: 1, fixMs: downMs });
  it("round-trips, adds shares, drops days older than kept", () => {
    const days = new Map([
      [DAY - 100, totals(5)],
      [DAY, totals(H)],
    ]);
    const raw = encodeDays(days, DAY - 10);
    expect(raw).toBe(`[[${DAY},${H},0,1,${H}]]`);
    const back = addShares(decodeDays(raw, DAY - 10), new Map([[DAY, totals(H)]]));
    expect(back.get(DAY)).toEqual({ downMs: 2 * H, unknownMs: 0, outages: 2, fixMs: 2 * H });
  });
  it.each(["not json", "{}", "[[1,2]]", `[[${DAY},-1,0,0,0]]`, `[["x",1,1,1,1]]`])(
    "malformed %s counts as nothing",
    (raw) => expect(decodeDays(raw, 0).size).toBe(0),
  );
});
