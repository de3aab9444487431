/** What the metrics read from the app at each scrape (app/ passes the readers in). */

/** The watched fleet as it stands (alerts' watch records), read at each scrape. */
export interface FleetSnapshot {
  /** Instances watched. */
  instances: number;
  /** Authorized, with no open incident. */
  up: number;
  /** Authorized, yet their send queue does not move (stuck-queue alerts open). */
  stuck: number;
  /** The longest open outage now, ms; 0 when none. */
  longestDownMs: number;
  /** Each instance and whether it is up: only read with METRICS_INSTANCE_LABELS=1. */
  perInstance: ReadonlyArray<readonly [string, boolean]>;
}

/** The relay's backlog, every instance together (relay-store.ts `totals`). */
export interface RelayTotals {
  count: number;
  bytes: number;
  oldestAt?: number;
  dead: number;
}
