import { describe, expect, it } from "vitest";
import {
  type AlertRules,
  DEFAULT_RULES,
  type Observation,
  observe,
} from "../../../src/alerts/transitions.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";
import {
  amendWithLink,
  type AssemblyStep,
  assembleIncidents,
  type FixEvidence,
  type HistoryIncident,
} from "../../../src/history/incident.js";

const rules: AlertRules = { ...DEFAULT_RULES, alertChats: [1] };
const MIN = 60_000;

type Step =
  | [StateInstance, number]
  | [StateInstance, number, { webhook?: boolean; evidence?: FixEvidence; mark?: Mark }]
  | ["unreachable", number];
/** What the follow-ups write on the open incident after an observation (escalation, auto-reboot). */
type Mark = { escalatedAt?: number; autoRebootAt?: number; claimedBy?: string };

/** The observations through the real `observe`, then the history's assembly. */
function history(steps: readonly Step[]) {
  let watch: InstanceWatch | undefined;
  const assembly: AssemblyStep[] = [];
  for (const [what, minute, extra] of steps) {
    const at = minute * MIN;
    const observation: Observation =
      what === "unreachable"
        ? { kind: "unreachable", at }
        : { kind: "state", state: what, at, source: extra?.webhook ? "webhook" : "poll" };
    const outcome = observe(watch, observation, rules);
    if (extra?.mark && outcome.watch.down) Object.assign(outcome.watch.down, extra.mark);
    assembly.push({
      before: watch,
      outcome,
      ...(extra?.evidence ? { evidence: extra.evidence } : {}),
    });
    watch = outcome.watch;
  }
  return assembleIncidents(assembly);
}

const ivanQr = (minute: number): FixEvidence => ({
  link: { by: "Ivan", at: minute * MIN, via: "qr" },
});

describe("incident assembly from the watcher's outcomes (pure)", () => {
  const table: Array<{
    name: string;
    steps: Step[];
    closed: Partial<HistoryIncident>[];
    open?: number;
  }> = [
    {
      name: "a logout held for two checks, linked by QR: one incident, ended at the link",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 1],
        ["notAuthorized", 2],
        ["authorized", 9, { evidence: ivanQr(8) }],
      ],
      closed: [
        {
          cause: "notAuthorized",
          since: 1 * MIN,
          end: 8 * MIN,
          fix: "qr",
          fixedBy: "Ivan",
          escalated: false,
        },
      ],
    },
    {
      name: "a blip (one bad check, then authorized) is no incident",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 1],
        ["authorized", 2],
      ],
      closed: [],
    },
    {
      name: "repeated blips are still no incident",
      steps: [
        ["authorized", 0],
        ["blocked", 1],
        ["authorized", 2],
        ["yellowCard", 3],
        ["authorized", 4],
        ["notAuthorized", 5],
        ["authorized", 6],
      ],
      closed: [],
    },
    {
      name: "a flap between bad states stays one incident, caused by its first state",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 1],
        ["notAuthorized", 2],
        ["blocked", 3],
        ["notAuthorized", 4],
        ["authorized", 5],
      ],
      closed: [{ cause: "notAuthorized", since: 1 * MIN, end: 5 * MIN, fix: "self" }],
    },
    {
      name: "a webhook's bad state is trusted at once; back by itself",
      steps: [
        ["authorized", 0],
        ["blocked", 3, { webhook: true }],
        ["authorized", 7],
      ],
      closed: [{ cause: "blocked", since: 3 * MIN, end: 7 * MIN, fix: "self" }],
    },
    {
      name: "a pairing code and the link page are fixers of their own",
      steps: [
        ["notAuthorized", 0],
        ["authorized", 5, { evidence: { link: { by: "Olga", at: 4 * MIN, via: "code" } } }],
        ["notAuthorized", 10, { webhook: true }],
        ["authorized", 20, { evidence: { link: { by: "Petr", at: 19 * MIN, via: "link" } } }],
      ],
      closed: [
        { since: 0, end: 4 * MIN, fix: "code", fixedBy: "Olga" },
        { since: 10 * MIN, end: 19 * MIN, fix: "link", fixedBy: "Petr" },
      ],
    },
    {
      name: "a link from before the incident began is not its fix",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 10],
        ["notAuthorized", 11],
        ["authorized", 15, { evidence: ivanQr(5) }],
      ],
      closed: [{ since: 10 * MIN, end: 15 * MIN, fix: "self" }],
    },
    {
      name: "an operator's reboot during the incident fixed it (by whom); one from before did not",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 1],
        ["notAuthorized", 2],
        ["authorized", 6, { evidence: { reboot: { by: "Anna", at: 4 * MIN } } }],
        ["notAuthorized", 20],
        ["notAuthorized", 21],
        ["authorized", 25, { evidence: { reboot: { by: "Anna", at: 4 * MIN } } }],
      ],
      closed: [
        { since: 1 * MIN, end: 6 * MIN, fix: "reboot", fixedBy: "Anna" },
        { since: 20 * MIN, end: 25 * MIN, fix: "self" },
      ],
    },
    {
      name: "AUTO_REBOOT_STARTING's reboot of an instance stuck starting: fixed by reboot, nobody named",
      steps: [
        ["authorized", 0],
        ["starting", 1],
        ["starting", 2],
        ["starting", 7, { mark: { autoRebootAt: 7 * MIN } }],
        ["authorized", 9],
      ],
      closed: [{ cause: "starting", since: 1 * MIN, end: 9 * MIN, fix: "reboot" }],
    },
    {
      name: "escalated and claimed: both recorded",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 1],
        ["notAuthorized", 2, { mark: { escalatedAt: 2 * MIN } }],
        ["authorized", 30, { evidence: { claimedBy: "Olga", ...ivanQr(29) } }],
      ],
      closed: [{ claimedBy: "Olga", escalated: true, fix: "qr", fixedBy: "Ivan", end: 29 * MIN }],
    },
    {
      name: "GREEN-API unreachable: a stretch of its own, ended by itself, never fixed by a link",
      steps: [
        ["authorized", 0],
        ["unreachable", 1],
        ["unreachable", 2],
        ["unreachable", 3],
        ["authorized", 4, { evidence: ivanQr(4) }],
      ],
      closed: [{ cause: "unreachable", since: 1 * MIN, end: 4 * MIN, fix: "self" }],
    },
    {
      name: "an incident still open is not closed",
      steps: [
        ["authorized", 0],
        ["notAuthorized", 1],
        ["notAuthorized", 2],
      ],
      closed: [],
      open: 1,
    },
  ];

  it.each(table)("$name", ({ steps, closed, open }) => {
    const result = history(steps);
    expect(result.closed).toHaveLength(closed.length);
    closed.forEach((expected, i) => expect(result.closed[i]).toMatchObject(expected));
    expect(result.open).toHaveLength(open ?? 0);
  });
});

describe("a link told after the watcher closed the incident", () => {
  const closed: HistoryIncident = {
    cause: "notAuthorized",
    since: 0,
    end: 10 * MIN,
    fix: "self",
    escalated: false,
  };
  const link = { by: "Ivan", at: 9 * MIN, via: "qr" as const };
  const table = [
    {
      name: "ended by itself, link within the window: fixed by it, ended at the link",
      newest: closed,
      amended: { fix: "qr", fixedBy: "Ivan", end: 9 * MIN },
    },
    {
      name: "already fixed by someone: unchanged",
      newest: { ...closed, fix: "code" as const, fixedBy: "Olga" },
      amended: undefined,
    },
    {
      name: "the link came long after: unchanged",
      newest: { ...closed, end: 0.5 * MIN },
      amended: undefined,
      at: 30 * MIN,
    },
    {
      name: "the link is older than the incident: unchanged",
      newest: { ...closed, since: 9.5 * MIN },
      amended: undefined,
    },
    {
      name: "an unreachable stretch is never fixed by a link",
      newest: { ...closed, cause: "unreachable" as const },
      amended: undefined,
    },
    { name: "no incident at all", newest: undefined, amended: undefined },
  ];
  it.each(table)("$name", ({ newest, amended, at }) => {
    const result = amendWithLink(newest, { ...link, at: at ?? link.at }, 10 * MIN);
    if (amended) expect(result).toMatchObject(amended);
    else expect(result).toBeUndefined();
  });
});
