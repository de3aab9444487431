import type { HistoryStore } from "./history-store.js";
import type { HistoryIncident, OpenIncident } from "./incident.js";
import { type FleetFigures, fleetFigures } from "./daily.js";
import { DAY_MS, type HistorySummary, summarize, UPTIME_WINDOWS } from "./uptime.js";

/** Incidents per page of /history <instance>. */
export const INCIDENTS_PER_PAGE = 8;
/** Instances per page of /history (the fleet view). */
export const FLEET_PER_PAGE = 20;

export interface InstancePage {
  instance: string;
  summary: HistorySummary;
  /** This page's incidents, newest first. */
  incidents: HistoryIncident[];
  /** The open outage, if any (shown on every page). */
  open?: OpenIncident;
  page: number;
  pages: number;
  total: number;
}

export interface FleetRow extends FleetFigures {
  instance: string;
}

export interface FleetPage {
  rows: FleetRow[];
  page: number;
  pages: number;
  total: number;
}

const pagesOf = (count: number, per: number) => Math.max(1, Math.ceil(count / per));
const clampPage = (page: number, pages: number) => Math.min(Math.max(0, page), pages - 1);

/**
 * The fleet's order: worst 7-day uptime first; instances with no figure yet (never watched) last;
 * ties by the 30-day figure, then by name.
 */
export function worstFirst(a: FleetRow, b: FleetRow): number {
  const key = (row: FleetRow) => [row.week, row.month];
  const [aw, am] = key(a);
  const [bw, bm] = key(b);
  if (aw === undefined || bw === undefined) {
    if (aw !== bw) return aw === undefined ? 1 : -1;
  } else if (aw !== bw) return aw - bw;
  if (am !== undefined && bm !== undefined && am !== bm) return am - bm;
  return a.instance.localeCompare(b.instance);
}

/** What /history reads, for one reader's instances (the caller passes only those). */
export class HistoryQuery {
  constructor(private readonly store: HistoryStore) {}

  async instancePage(instance: string, page: number, now = Date.now()): Promise<InstancePage> {
    const keptSince = now - this.store.limits.keepMs;
    const [histories, watched] = await Promise.all([
      this.store.many([instance], keptSince),
      this.store.watched(now - UPTIME_WINDOWS.month),
    ]);
    const history = histories.get(instance) ?? { incidents: [], open: [] };
    const summary = summarize(history, watched, now);
    const newestFirst = [...history.incidents].sort((a, b) => b.since - a.since);
    const pages = pagesOf(newestFirst.length, INCIDENTS_PER_PAGE);
    const at = clampPage(page, pages);
    const open = history.open.find((o) => o.kind === "down");
    return {
      instance,
      summary,
      incidents: newestFirst.slice(at * INCIDENTS_PER_PAGE, (at + 1) * INCIDENTS_PER_PAGE),
      ...(open ? { open } : {}),
      page: at,
      pages,
      total: newestFirst.length,
    };
  }

  /**
   * Every instance's figures, worst first (the whole list: the fleet view pages it), from the day
   * totals (daily.ts): one small string per instance, however many incidents it had.
   */
  async fleet(instances: readonly string[], now = Date.now()): Promise<FleetRow[]> {
    const [totals, watched] = await Promise.all([
      this.store.fleet(instances, now),
      this.store.watched(now - UPTIME_WINDOWS.month - DAY_MS),
    ]);
    const rows = instances.map((instance) => {
      const t = totals.get(instance);
      return {
        instance,
        ...fleetFigures(t?.days ?? new Map(), t?.open ?? [], watched, now, t?.firstSeen),
      };
    });
    return rows.sort(worstFirst);
  }

  async fleetPage(
    instances: readonly string[],
    page: number,
    now = Date.now(),
  ): Promise<FleetPage> {
    const rows = await this.fleet(instances, now);
    const pages = pagesOf(rows.length, FLEET_PER_PAGE);
    const at = clampPage(page, pages);
    return {
      rows: rows.slice(at * FLEET_PER_PAGE, (at + 1) * FLEET_PER_PAGE),
      page: at,
      pages,
      total: rows.length,
    };
  }

  /** 7-day uptime per instance, for the fleet /status. */
  async weekUptime(instances: readonly string[], now = Date.now()): Promise<Map<string, number>> {
    const rows = await this.fleet(instances, now);
    return new Map(
      rows.flatMap((row) => {
        return row.week === undefined ? [] : [[row.instance, row.week] as const];
      }),
    );
  }

  /** Every kept incident of one instance, oldest first (the CSV). */
  async all(instance: string, now = Date.now()): Promise<HistoryIncident[]> {
    return (
      await this.store.incidents(instance, 0, this.store.limits.maxPerInstance, now)
    ).reverse();
  }
}
