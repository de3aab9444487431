import { isKnownState, type StateInstance } from "../green-api/schemas.js";
import type { InstanceWatch } from "../alerts/watch-state.js";

/**
 * /status for a fleet (issue #14), decided from what the state watcher already knows (its watch
 * records), without a GREEN-API call: how many instances stand how, how old that knowledge is,
 * and one page of them, problems first. Pure; test/unit/status/fleet-overview.test.ts.
 */

/**
 * Up to this many instances /status asks GREEN-API live, as always. 20 is one page: the live list
 * then fits one message (every line is bounded), its ~40 calls (getStateInstance, getWaSettings)
 * run in parallel under each instance's own 1/s in a second or two, and an agency with a handful
 * of numbers keeps the fresh answer. Above it, /status reads the watcher's records.
 */
export const STATUS_LIVE_MAX = 20;

/** Instances on one page of the fleet view (fits 4096 characters: test/unit/status/fleet-overview). */
export const STATUS_PAGE_SIZE = 20;

/** How one instance stands by the watcher's record. */
export type FleetStanding =
  | { kind: "state"; state: StateInstance }
  /** Its last checks got no answer (an open "unreachable" incident). */
  | { kind: "unreachable" }
  /** No record yet: the watcher has not come to it (or is off). */
  | { kind: "unchecked" };

/** The counts of the summary, in the order it lists them. */
export const FLEET_COUNT_KEYS = [
  "authorized",
  "notAuthorized",
  "blocked",
  "yellowCard",
  "suspended",
  "sleepMode",
  "starting",
  /** A state GREEN-API does not document: each row shows its value. */
  "unknown",
  "unreachable",
  "unchecked",
] as const;
export type FleetCountKey = (typeof FLEET_COUNT_KEYS)[number];

export interface FleetRow {
  name: string;
  standing: FleetStanding;
  /** Since when the problem is open (the watcher's incident), when there is one. */
  since?: number;
  /** QR / Code buttons: not authorized (or not known to be) and the reader may link it. */
  linkable: boolean;
}

export interface FleetPage {
  kind: "page";
  total: number;
  /** Only the keys with at least one instance, in FLEET_COUNT_KEYS order. */
  counts: Array<{ key: FleetCountKey; count: number }>;
  /** The oldest and the newest check among the instances (undefined: none checked yet). */
  oldestCheck?: number;
  newestCheck?: number;
  page: number;
  pages: number;
  rows: FleetRow[];
}

/** A page that no longer exists for this reader (the list shrank, or it is not theirs). */
export interface FleetStale {
  kind: "stale";
}

export interface FleetRequest {
  /** The instances the reader may see, by name (their rights, checked on every press). */
  names: readonly string[];
  watches: ReadonlyMap<string, InstanceWatch | undefined>;
  /** Which page; `exact`: a ◀ ▶ press (out of range: stale), else clamped (Refresh). */
  page: number;
  exact: boolean;
  mayLink: (name: string) => boolean;
}

const BAD_STATES = new Set<StateInstance>(["notAuthorized", "blocked", "yellowCard", "suspended"]);

export function standingOf(watch: InstanceWatch | undefined): FleetStanding {
  if (watch?.unreachable) return { kind: "unreachable" };
  if (watch?.state) return { kind: "state", state: watch.state };
  return { kind: "unchecked" };
}

const countKeyOf = (standing: FleetStanding): FleetCountKey =>
  standing.kind === "state"
    ? isKnownState(standing.state)
      ? standing.state
      : "unknown"
    : standing.kind;

/** Problems first: needs linking or fixing, then unreachable, then passing states, unknown, fine. */
function rankOf(standing: FleetStanding): number {
  if (standing.kind === "unreachable") return 1;
  if (standing.kind === "unchecked") return 3;
  // An undocumented state is a problem until someone looks: never ranked as fine.
  if (BAD_STATES.has(standing.state) || !isKnownState(standing.state)) return 0;
  return standing.state === "authorized" ? 4 : 2;
}

export function fleetOverview(request: FleetRequest): FleetPage | FleetStale {
  const rank = new Map<string, number>();
  const rows = request.names.map((name): FleetRow => {
    const watch = request.watches.get(name);
    const standing = standingOf(watch);
    const since = standing.kind === "unreachable" ? watch?.unreachable?.since : watch?.down?.since;
    const authorized = standing.kind === "state" && standing.state === "authorized";
    return {
      name,
      standing,
      ...(since !== undefined && !authorized ? { since } : {}),
      // Unreachable: a QR or a code needs the GREEN-API that is not answering.
      linkable: !authorized && standing.kind !== "unreachable" && request.mayLink(name),
    };
  });
  for (const row of rows) rank.set(row.name, rankOf(row.standing));
  const rankOfRow = (row: FleetRow) => rank.get(row.name) ?? 0;
  rows.sort(
    (a, b) => rankOfRow(a) - rankOfRow(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  const pages = Math.max(1, Math.ceil(rows.length / STATUS_PAGE_SIZE));
  const wanted = Math.max(0, Math.trunc(request.page));
  if (request.exact && (wanted >= pages || rows.length === 0)) return { kind: "stale" };
  const page = Math.min(wanted, pages - 1);

  const tally = new Map<FleetCountKey, number>();
  for (const row of rows) {
    const key = countKeyOf(row.standing);
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  // A loop, not Math.min(...): 10,000 arguments are near the engine's limit.
  let oldestCheck: number | undefined;
  let newestCheck: number | undefined;
  for (const name of request.names) {
    const at = request.watches.get(name)?.checkedAt;
    if (at === undefined) continue;
    if (oldestCheck === undefined || at < oldestCheck) oldestCheck = at;
    if (newestCheck === undefined || at > newestCheck) newestCheck = at;
  }
  return {
    kind: "page",
    total: rows.length,
    counts: FLEET_COUNT_KEYS.flatMap((key) => {
      const count = tally.get(key) ?? 0;
      return count > 0 ? [{ key, count }] : [];
    }),
    ...(oldestCheck !== undefined && newestCheck !== undefined ? { oldestCheck, newestCheck } : {}),
    page,
    pages,
    rows: rows.slice(page * STATUS_PAGE_SIZE, (page + 1) * STATUS_PAGE_SIZE),
  };
}
