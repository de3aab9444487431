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

/**
 * One instance's day totals as Redis keeps them: one string, `[[day, down, unknown, outages,
 * fix], …]` (the fleet view reads 10,000 of them with one MGET). Days before `oldest` dropped.
 */
export function encodeDays(days: ReadonlyMap<number, DayTotals>, oldest: number): string {
  const rows = [...days]
    .filter(([day]) => day >= oldest)
    .sort(([a], [b]) => a - b)
    .map(([day, t]) => [
      day,
      Math.round(t.downMs),
      Math.round(t.unknownMs),
      t.outages,
      Math.round(t.fixMs),
    ]);
  return JSON.stringify(rows);
}

/** The stored string back; anything malformed counts as nothing (never trusted). */
export function decodeDays(raw: string | null | undefined, oldest: number): Map<number, DayTotals> {
  const days = new Map<number, DayTotals>();
  if (!raw) return days;
  let rows: unknown;
  try {
    rows = JSON.parse(raw);
  } catch {
    return days;
  }
  if (!Array.isArray(rows)) return days;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== 5 || !row.every((n) => Number.isFinite(n) && n >= 0))
      continue;
    const [day, downMs, unknownMs, outages, fixMs] = row as number[];
    if (day === undefined || day < oldest) continue;
    days.set(day, {
      downMs: downMs ?? 0,
      unknownMs: unknownMs ?? 0,
      outages: outages ?? 0,
      fixMs: fixMs ?? 0,
    });
  }
  return days;
}

/** `days` with `shares` added in. */
export function addShares(
  days: Map<number, DayTotals>,
  shares: ReadonlyMap<number, DayTotals>,
): Map<number, DayTotals> {
  for (const [day, share] of shares) {
    const t = days.get(day) ?? { downMs: 0, unknownMs: 0, outages: 0, fixMs: 0 };
    days.set(day, {
      downMs: t.downMs + share.downMs,
      unknownMs: t.unknownMs + share.unknownMs,
      outages: t.outages + share.outages,
      fixMs: t.fixMs + share.fixMs,
    });
  }
  return days;
}
