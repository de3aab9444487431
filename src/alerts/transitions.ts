import type { StateInstance } from "../green-api/schemas.js";
import type { Incident, IncidentKind, InstanceWatch } from "./watch-state.js";

/** What one check (or one webhook) said about an instance. */
export type Observation =
  | { kind: "state"; state: StateInstance; at: number; source: "poll" | "webhook" }
  /** No usable answer: timeout, 5xx, network error. Says nothing about the instance itself. */
  | { kind: "unreachable"; at: number };

export interface AlertRules {
  alertChats: readonly number[];
  /** Checks in a row a bad state must hold before it alerts (flapping). */
  confirmChecks: number;
  /** Unanswered checks in a row before "cannot reach GREEN-API". */
  unreachableAfter: number;
  /** `starting` and `sleepMode` are normal for a few minutes: alert only when held this long. */
  transientGraceMs: number;
}

export const DEFAULT_RULES: Omit<AlertRules, "alertChats"> = {
  confirmChecks: 2,
  unreachableAfter: 3,
  transientGraceMs: 5 * 60_000,
};

export interface EndedIncident {
  kind: IncidentKind;
  incident: Incident;
  at: number;
}

export interface Outcome {
  watch: InstanceWatch;
  /** Incidents that ended with this observation: their alerts get edited. */
  ended: EndedIncident[];
  /** The open "down" incident moved to another bad state: its alerts get re-rendered. */
  restated?: Incident;
}

/** GREEN-API says these pass by themselves within about 5 minutes. */
const TRANSIENT: ReadonlySet<StateInstance> = new Set(["starting", "sleepMode"]);

export const isTransient = (state: StateInstance) => TRANSIENT.has(state);

const openIncident = (
  since: number,
  rules: AlertRules,
  extra: Partial<Incident> = {},
): Incident => ({ since, initial: false, unsent: [...rules.alertChats], messages: [], ...extra });

/**
 * The watcher's whole decision logic, pure: the previous memory of an instance and one
 * observation in, the new memory and what ended out. A new incident shows as `down` or
 * `unreachable` appearing on the watch with chats still `unsent`.
 */
export function observe(
  previous: InstanceWatch | undefined,
  observation: Observation,
  rules: AlertRules,
): Outcome {
  const watch: InstanceWatch = { failures: 0, ...previous };
  const ended: EndedIncident[] = [];
  const at = observation.at;

  if (observation.kind === "unreachable") {
    watch.failures += 1;
    watch.failingSince ??= at;
    watch.checkedAt = at;
    if (!watch.unreachable && watch.failures >= rules.unreachableAfter) {
      watch.unreachable = openIncident(watch.failingSince, rules);
    }
    return { watch, ended };
  }

  const { state, source } = observation;
  const firstSeen = watch.state === undefined;
  // Only a poll proves GREEN-API answers again; a webhook comes through another path.
  if (source === "poll") {
    if (watch.unreachable) ended.push({ kind: "unreachable", incident: watch.unreachable, at });
    watch.unreachable = undefined;
    watch.failures = 0;
    watch.failingSince = undefined;
    watch.checkedAt = at;
  }
  watch.state = state;

  if (state === "authorized") {
    watch.suspect = undefined;
    if (watch.down) ended.push({ kind: "down", incident: watch.down, at });
    watch.down = undefined;
    return { watch, ended };
  }

  if (watch.down) {
    watch.suspect = undefined;
    if (watch.down.state === state) return { watch, ended };
    watch.down = { ...watch.down, state };
    return { watch, ended, restated: watch.down };
  }

  const suspect = {
    state,
    since: watch.suspect?.since ?? at,
    checks: (watch.suspect?.checks ?? 0) + (source === "poll" ? 1 : 0),
  };
  const held = suspect.checks >= rules.confirmChecks;
  const confirmed = isTransient(state)
    ? held && at - suspect.since >= rules.transientGraceMs
    : held || firstSeen || source === "webhook";
  if (confirmed) {
    watch.suspect = undefined;
    watch.down = openIncident(suspect.since, rules, { state, initial: firstSeen });
  } else {
    watch.suspect = suspect;
  }
  return { watch, ended };
}
