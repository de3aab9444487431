import { durationOf, type HistoryIncident, isOutage, type OpenIncident } from "./incident.js";

/** "99.95 %" (rounded down: 99.999 % is not 100 %), the same in every language. */
export function percentText(ratio: number): string {
  const value = Math.floor(ratio * 10_000) / 100;
  return `${value === 100 ? "100" : value.toFixed(2)} %`;
}

/** "99.9%": one decimal, for a list where every character counts (the fleet's /status). */
export function shortPercentText(ratio: number): string {
  const value = Math.floor(ratio * 1_000) / 10;
  return `${value === 100 ? "100" : value.toFixed(1)}%`;
}

/** A stretch of time, [from, to) in ms. */
export interface Span {
  from: number;
  to: number;
}

export interface Uptime {
  upMs: number;
  downMs: number;
  /** Time nobody knows about: greenlight was not watching, or GREEN-API did not answer. */
  unknownMs: number;
  /** up / (up + down): unknown time is excluded from both. Undefined when nothing is known. */
  ratio: number | undefined;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The windows /history shows. */
export const UPTIME_WINDOWS = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS } as const;

/** Sorted, overlapping and touching spans joined, empty ones dropped. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/** The parts of `spans` inside `within` (both merged first). */
export function intersectSpans(spans: readonly Span[], within: readonly Span[]): Span[] {
  const a = mergeSpans(spans);
  const b = mergeSpans(within);
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (to > from) out.push({ from, to });
    if (x.to < y.to) i += 1;
    else j += 1;
  }
  return out;
}

/** The parts of `spans` outside `removed`. */
export function subtractSpans(spans: readonly Span[], removed: readonly Span[]): Span[] {
  const cuts = mergeSpans(removed);
  const out: Span[] = [];
  for (const span of mergeSpans(spans)) {
    let from = span.from;
    for (const cut of cuts) {
      if (cut.to <= from || cut.from >= span.to) continue;
      if (cut.from > from) out.push({ from, to: cut.from });
      from = Math.max(from, cut.to);
    }
    if (from < span.to) out.push({ from, to: span.to });
  }
  return out;
}

const total = (spans: readonly Span[]) => spans.reduce((sum, s) => sum + (s.to - s.from), 0);

export interface UptimeInput {
  now: number;
  windowMs: number;
  /** When greenlight was watching (its watch runs, gaps where it was down). */
  watched: readonly Span[];
  /** When the instance was down: closed outages and the open one (to `now`). */
  down: readonly Span[];
  /** When GREEN-API could not be reached for it: says nothing about the instance. */
  unreachable: readonly Span[];
  /** The instance's first observation: time before it is not the instance's. */
  firstSeen?: number;
}

/**
 * Uptime over the last `windowMs`: only time greenlight watched, after the instance was first
 * seen and outside unreachable stretches, counts; a gap counts as unknown and is excluded (an
 * outage that spans a gap counts only its watched parts as down).
 */
export function uptime(input: UptimeInput): Uptime {
  const from = Math.max(input.now - input.windowMs, input.firstSeen ?? -Infinity);
  const window: Span[] = from < input.now ? [{ from, to: input.now }] : [];
  const known = subtractSpans(intersectSpans(input.watched, window), input.unreachable);
  const downMs = total(intersectSpans(input.down, known));
  const knownMs = total(known);
  const upMs = knownMs - downMs;
  const windowMs = total(window);
  return {
    upMs,
    downMs,
    unknownMs: windowMs - knownMs,
    ratio: knownMs > 0 ? upMs / knownMs : undefined,
  };
}

export interface InstanceHistory {
  /** Closed incidents, any order. */
  incidents: readonly HistoryIncident[];
  open: readonly OpenIncident[];
  firstSeen?: number;
}

export interface HistorySummary {
  uptime: { day: Uptime; week: Uptime; month: Uptime };
  /** Mean duration of the closed outages kept (HISTORY_DAYS). */
  meanTimeToFixMs: number | undefined;
  /** The longest outage kept, the open one included (its length so far). */
  longest: { since: number; durationMs: number; open: boolean } | undefined;
  outages: number;
}

/** /history's figures for one instance, from its kept incidents and greenlight's watched spans. */
export function summarize(
  history: InstanceHistory,
  watched: readonly Span[],
  now: number,
): HistorySummary {
  const outages = history.incidents.filter(isOutage);
  const down: Span[] = outages.map((i) => ({ from: i.since, to: i.end }));
  const unreachable: Span[] = history.incidents
    .filter((i) => !isOutage(i))
    .map((i) => ({ from: i.since, to: i.end }));
  for (const open of history.open) {
    (open.kind === "down" ? down : unreachable).push({ from: open.since, to: now });
  }
  const over = (windowMs: number) =>
    uptime({ now, windowMs, watched, down, unreachable, firstSeen: history.firstSeen });
  const lengths = [
    ...outages.map((i) => ({ since: i.since, durationMs: durationOf(i), open: false })),
    ...history.open
      .filter((o) => o.kind === "down")
      .map((o) => ({ since: o.since, durationMs: Math.max(0, now - o.since), open: true })),
  ];
  const longest = lengths.reduce<HistorySummary["longest"]>(
    (best, next) => (best && best.durationMs >= next.durationMs ? best : next),
    undefined,
  );
  return {
    uptime: {
      day: over(UPTIME_WINDOWS.day),
      week: over(UPTIME_WINDOWS.week),
      month: over(UPTIME_WINDOWS.month),
    },
    meanTimeToFixMs:
      outages.length > 0
        ? outages.reduce((sum, i) => sum + durationOf(i), 0) / outages.length
        : undefined,
    longest,
    outages: outages.length,
  };
}
