import { durationOf, type HistoryIncident, isOutage, type OpenIncident } from "./incident.js";
import { DAY_MS, intersectSpans, type Span } from "./uptime.js";

/**
 * Per instance and UTC day, what the fleet view needs without reading every incident: the time
 * down and the time GREEN-API could not be reached (both only while greenlight watched), and the
 * outages that ended that day with their total length (mean time to fix). Written when an
 * incident closes; the fleet's 7-day and 30-day figures are whole UTC days (today included).
 */
export interface DayTotals {
  downMs: number;
  unknownMs: number;
  outages: number;
  fixMs: number;
}

export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

const total = (spans: readonly Span[]) => spans.reduce((sum, s) => sum + (s.to - s.from), 0);

/** One closed incident's share of each day (`watched`: greenlight's spans around it). */
export function dailyShares(
  incident: HistoryIncident,
  watched: readonly Span[],
): Map<number, DayTotals> {
  const shares = new Map<number, DayTotals>();
  const at = (day: number) => {
    let entry = shares.get(day);
    if (!entry) shares.set(day, (entry = { downMs: 0, unknownMs: 0, outages: 0, fixMs: 0 }));
    return entry;
  };
  const outage = isOutage(incident);
  for (let day = dayOf(incident.since); day <= dayOf(incident.end); day++) {
    const part = {
      from: Math.max(incident.since, day * DAY_MS),
      to: Math.min(incident.end, (day + 1) * DAY_MS),
    };
    const ms = total(intersectSpans([part], watched));
    if (ms > 0) at(day)[outage ? "downMs" : "unknownMs"] += ms;
  }
  if (outage) {
    const end = at(dayOf(incident.end));
    end.outages += 1;
    end.fixMs += durationOf(incident);
  }
  return shares;
}

export interface FleetFigures {
  /** Up / known over the last 7 and 30 UTC days; undefined when nothing is known. */
  week: number | undefined;
  month: number | undefined;
  outages: number;
  meanTimeToFixMs: number | undefined;
  down: boolean;
}

/** An instance's fleet figures from its day totals, its open incidents and greenlight's spans. */
export function fleetFigures(
  days: ReadonlyMap<number, DayTotals>,
  open: readonly OpenIncident[],
  watched: readonly Span[],
  now: number,
  firstSeen?: number,
): FleetFigures {
  const over = (count: number): number | undefined => {
    const firstDay = dayOf(now) - count + 1;
    const from = Math.max(firstDay * DAY_MS, firstSeen ?? -Infinity);
    if (from >= now) return undefined;
    const window = [{ from, to: now }];
    const watchedMs = total(intersectSpans(watched, window));
    let downMs = 0;
    let unknownMs = 0;
    for (const [day, totals] of days) {
      if (day < firstDay) continue;
      downMs += totals.downMs;
      unknownMs += totals.unknownMs;
    }
    for (const o of open) {
      const ms = total(
        intersectSpans(intersectSpans([{ from: o.since, to: now }], window), watched),
      );
      if (o.kind === "down") downMs += ms;
      else unknownMs += ms;
    }
    const known = watchedMs - unknownMs;
    return known > 0 ? Math.max(0, known - downMs) / known : undefined;
  };
  let outages = 0;
  let fixMs = 0;
  for (const totals of days.values()) {
    outages += totals.outages;
    fixMs += totals.fixMs;
  }
  return {
    week: over(7),
    month: over(30),
    outages,
    meanTimeToFixMs: outages > 0 ? fixMs / outages : undefined,
    down: open.some((o) => o.kind === "down"),
  };
}
