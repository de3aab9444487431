import type { InstanceWatch } from "./watch-state.js";

/** The fleet as /metrics shows it (observability's FleetSnapshot), from the watch records. */
export interface FleetGauges {
  instances: number;
  up: number;
  stuck: number;
  longestDownMs: number;
  perInstance: Array<readonly [string, boolean]>;
}

/**
 * Up: the last state was `authorized` and no incident is open (down, unreachable, stuck). An
 * instance never checked yet is not up. The longest outage counts open "down" incidents only.
 */
export function fleetGauges(
  watches: ReadonlyMap<string, InstanceWatch | undefined>,
  now: number,
): FleetGauges {
  const perInstance: Array<readonly [string, boolean]> = [];
  let up = 0;
  let stuck = 0;
  let longestDownMs = 0;
  for (const [name, watch] of watches) {
    const isUp = watch?.state === "authorized" && !watch.down && !watch.unreachable && !watch.stuck;
    if (isUp) up += 1;
    if (watch?.stuck) stuck += 1;
    if (watch?.down) longestDownMs = Math.max(longestDownMs, now - watch.down.since);
    perInstance.push([name, isUp]);
  }
  return { instances: watches.size, up, stuck, longestDownMs, perInstance };
}
