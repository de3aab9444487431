import type { StateInstance } from "../green-api/schemas.js";
import { leaveQueue, type QueueObservation, readQueue } from "./stuck-queue.js";
import type { Incident, IncidentKind, InstanceWatch } from "./watch-state.js";

/** What one check (or one webhook) said about an instance. */
export type Observation =
  | { kind: "state"; state: StateInstance; at: number; source: "poll" | "webhook" }
  /** No usable answer: timeout, 5xx, network error. Says nothing about the instance itself. */
  | { kind: "unreachable"; at: number }
  /**
   * The phone itself sent a message at `at` (an outgoingMessageReceived notification: "sent from
   * the phone or the web version"), so WhatsApp on it was in use then. The only sign of the phone
   * GREEN-API gives; outgoingAPIMessageReceived (sent through the API) proves nothing about it.
   */
  | { kind: "phoneSeen"; at: number }
  /** An authorized instance's send queue (stuck-queue.ts). */
  | QueueObservation;

export interface AlertRules {
  alertChats: readonly number[];
  /** Checks in a row a bad state must hold before it alerts (flapping). */
  confirmChecks: number;
  /** Unanswered checks in a row before "cannot reach GREEN-API". */
  unreachableAfter: number;
  /** `starting` and `sleepMode` are normal for a few minutes: alert only when held this long. */
  transientGraceMs: number;
  /** STARTING_TOO_LONG_MS: `starting` alerts (with Reboot) after this long; else transientGraceMs. */
  startingTooLongMs?: number;
  /** AUTO_REBOOT_STARTING: reboot an instance stuck starting by itself, once per incident. */
  autoRebootStarting?: boolean;
  /**
   * Early warnings, in ms since the phone was last seen sending (phoneSeen): WhatsApp unlinks
   * companion devices after about 14 days with the phone offline (GREEN-API FAQ). One message per
   * threshold. Never for an instance whose phone greenlight has never seen: nothing to count from.
   */
  offlineWarnAfterMs?: readonly number[];
  /** ESCALATE_AFTER_MS: an incident nobody claimed or fixed this long goes to escalationChats. */
  escalateAfterMs?: number;
  escalationChats?: readonly number[];
  /** STUCK_AFTER_MS: an authorized instance's queue not moving this long alerts; 0/unset: off. */
  stuckAfterMs?: number;
}

const DAY_MS = 24 * 3_600_000;

export const DEFAULT_RULES: Omit<AlertRules, "alertChats"> = {
  confirmChecks: 2,
  unreachableAfter: 3,
  transientGraceMs: 5 * 60_000,
  offlineWarnAfterMs: [10 * DAY_MS, 13 * DAY_MS],
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
  /** The phone has not been seen past a new threshold (ms): one warning, to `watch.offline.unsent`. */
  offlineWarning?: number;
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
  if (observation.kind === "unreachable") return unanswered(watch, observation.at, rules);
  if (observation.kind === "phoneSeen") {
    // Late or repeated notifications never move the time back.
    watch.phoneSeenAt = Math.max(watch.phoneSeenAt ?? 0, observation.at);
    if (watch.offline && watch.offline.since < watch.phoneSeenAt) watch.offline = undefined;
    return { watch, ended: [] };
  }
  if (observation.kind === "queue") {
    const { ended } = readQueue(watch, observation, rules);
    return { watch, ended: ended ? [{ kind: "stuck", incident: ended, at: observation.at }] : [] };
  }

  const ended: EndedIncident[] = [];
  const { state, source, at } = observation;
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
  if (state !== "authorized") {
    // Its own alert takes over: a queue says nothing of an instance that is not authorized.
    const left = leaveQueue(watch).ended;
    if (left) ended.push({ kind: "stuck", incident: left, at });
  }
  const offlineWarning = trackOffline(watch, state, at, rules);
  const extra = offlineWarning === undefined ? {} : { offlineWarning };

  if (state === "authorized") {
    watch.suspect = undefined;
    if (watch.down) {
      ended.push({ kind: "down", incident: watch.down, at });
      watch.lastEnded = {
        since: watch.down.since,
        at,
        messages: [...watch.down.messages],
        linked: false,
      };
    }
    watch.down = undefined;
    return { watch, ended, ...extra };
  }

  if (watch.down) {
    watch.suspect = undefined;
    if (watch.down.state === state) return { watch, ended, ...extra };
    watch.down = { ...watch.down, state };
    return { watch, ended, restated: watch.down, ...extra };
  }
  suspectOrDown(watch, observation, firstSeen, rules);
  return { watch, ended, ...extra };
}

/** A check with no usable answer: "cannot reach GREEN-API" after `unreachableAfter` in a row. */
function unanswered(watch: InstanceWatch, at: number, rules: AlertRules): Outcome {
  watch.failures += 1;
  watch.failingSince ??= at;
  watch.checkedAt = at;
  if (!watch.unreachable && watch.failures >= rules.unreachableAfter) {
    watch.unreachable = openIncident(watch.failingSince, rules);
  }
  return { watch, ended: [] };
}

/**
 * A bad state with no incident open: trusted (a `down` incident opens) when it held for
 * `confirmChecks` polls, on the very first check, or from a webhook; a transient state only once
 * it also outlasted its grace. Otherwise it stays a suspect, a blip until proven.
 */
function suspectOrDown(
  watch: InstanceWatch,
  { state, source, at }: Extract<Observation, { kind: "state" }>,
  firstSeen: boolean,
  rules: AlertRules,
): void {
  const suspect = {
    state,
    since: watch.suspect?.since ?? at,
    checks: (watch.suspect?.checks ?? 0) + (source === "poll" ? 1 : 0),
  };
  const held = suspect.checks >= rules.confirmChecks;
  const graceMs =
    state === "starting"
      ? (rules.startingTooLongMs ?? rules.transientGraceMs)
      : rules.transientGraceMs;
  const confirmed = isTransient(state)
    ? held && at - suspect.since >= graceMs
    : held || firstSeen || source === "webhook";
  if (confirmed) {
    watch.suspect = undefined;
    watch.down = openIncident(suspect.since, rules, { state, initial: firstSeen });
  } else {
    watch.suspect = suspect;
  }
}

/**
 * A bad state seen once and not yet trusted, whose second check should come soon rather than an
 * interval later: a logout is then alerted within about one interval. Transient states wait out
 * their grace anyway, so an early check would prove nothing.
 */
export function recheckDue(watch: InstanceWatch | undefined, rules: AlertRules): boolean {
  const suspect = watch?.suspect;
  return (
    suspect !== undefined &&
    watch?.down === undefined &&
    !isTransient(suspect.state) &&
    suspect.checks < rules.confirmChecks
  );
}

/**
 * States in which the instance is still linked, so an idle phone can still cost the link. Once it
 * is logged out (or banned) the incident itself is the alert.
 */
const STILL_LINKED: ReadonlySet<StateInstance> = new Set([
  "authorized",
  "sleepMode",
  "starting",
  "yellowCard",
]);

/**
 * How long since the phone was last seen sending (watch.phoneSeenAt), and the threshold just
 * crossed, if any: the highest one, each told once per stretch. No phoneSeenAt: greenlight cannot
 * see the phone (no outgoingMessageReceived webhooks), so it warns of nothing rather than guess.
 * `sleepMode` is no longer a reason: GREEN-API marks it "Status is out of date".
 */
function trackOffline(
  watch: InstanceWatch,
  state: StateInstance,
  at: number,
  rules: AlertRules,
): number | undefined {
  const seenAt = watch.phoneSeenAt;
  if (seenAt === undefined || !STILL_LINKED.has(state)) {
    watch.offline = undefined;
    return undefined;
  }
  if (watch.offline?.since !== seenAt) watch.offline = { since: seenAt, warned: [], unsent: [] };
  const offline = watch.offline;
  const crossed = (rules.offlineWarnAfterMs ?? []).filter(
    (threshold) => at - offline.since >= threshold && !offline.warned.includes(threshold),
  );
  if (crossed.length === 0) return undefined;
  offline.warned.push(...crossed);
  offline.unsent = [...rules.alertChats];
  return Math.max(...crossed);
}

/** AUTO_REBOOT_STARTING: the instance is stuck starting and was not rebooted for this incident. */
export function autoRebootDue(watch: InstanceWatch, rules: AlertRules): boolean {
  return (
    rules.autoRebootStarting === true &&
    watch.down?.state === "starting" &&
    watch.down.autoRebootAt === undefined
  );
}

/** Nobody claimed or fixed the incident within ESCALATE_AFTER_MS: re-send it, once. */
export function escalationDue(incident: Incident, at: number, rules: AlertRules): boolean {
  const after = rules.escalateAfterMs;
  return (
    after !== undefined &&
    after > 0 &&
    (rules.escalationChats?.length ?? 0) > 0 &&
    incident.claimedBy === undefined &&
    incident.escalatedAt === undefined &&
    at - incident.since >= after
  );
}

/** How long after an incident ended a late "who linked it" is still put on its alert. */
export const LINK_NOTE_WINDOW_MS = 10 * 60_000;
