import { z } from "zod";
import type { EndedIncident, Outcome } from "../alerts/transitions.js";
import type { InstanceWatch } from "../alerts/watch-state.js";
import { stateInstanceSchema } from "../green-api/schemas.js";

/**
 * One incident of an instance, from the first confirmed bad state to the login that ended it.
 * Assembled from what the alerts pipeline already decided (transitions.ts `observe` outcomes):
 * a suspect that never got confirmed (a blip) never opens one; a flap between bad states stays
 * one incident with its first state as the cause.
 */

/** How an incident ended: a QR scan, a pairing code, the link page, a reboot, or by itself. */
export const fixKinds = ["qr", "code", "link", "reboot", "self"] as const;
export type FixKind = (typeof fixKinds)[number];

/** A down incident's cause is its first bad state; `unreachable`: GREEN-API did not answer. */
const causeSchema = z.union([stateInstanceSchema, z.literal("unreachable")]);
export type Cause = z.infer<typeof causeSchema>;

/** What Redis keeps per closed incident (compact: short keys, JSON). */
export const historyIncidentSchema = z.object({
  cause: causeSchema,
  since: z.number().int(),
  end: z.number().int(),
  claimedBy: z.string().max(64).optional(),
  fix: z.enum(fixKinds),
  fixedBy: z.string().max(64).optional(),
  escalated: z.boolean(),
});
export type HistoryIncident = z.infer<typeof historyIncidentSchema>;

/** An incident still open: what its close needs and the watch record will not keep. */
export const openIncidentSchema = z.object({
  kind: z.enum(["down", "unreachable"]),
  cause: causeSchema,
  since: z.number().int(),
});
export type OpenIncident = z.infer<typeof openIncidentSchema>;

export const isOutage = (incident: Pick<HistoryIncident, "cause">) =>
  incident.cause !== "unreachable";

export const durationOf = (incident: Pick<HistoryIncident, "since" | "end">) =>
  Math.max(0, incident.end - incident.since);

/** What one observation changed: incidents opened and ended (each as the watch records them). */
/** An outage's end: a stuck send queue (the instance still authorized) is no outage here. */
export type EndedOutage = EndedIncident & { kind: "down" | "unreachable" };

export interface IncidentChanges {
  opened: OpenIncident[];
  ended: EndedOutage[];
}

/** The incidents `observe` opened and ended with one observation (`before`: the memory it got). */
export function incidentChanges(
  before: InstanceWatch | undefined,
  outcome: Outcome,
): IncidentChanges {
  const opened: OpenIncident[] = [];
  const { watch } = outcome;
  if (watch.down && !before?.down) {
    opened.push({
      kind: "down",
      cause: watch.down.state ?? "notAuthorized",
      since: watch.down.since,
    });
  }
  if (watch.unreachable && !before?.unreachable) {
    opened.push({ kind: "unreachable", cause: "unreachable", since: watch.unreachable.since });
  }
  const ended = outcome.ended.filter((end): end is EndedOutage => end.kind !== "stuck");
  return { opened, ended };
}

/** What else is known when an incident ends: who linked it, who claimed it, an operator reboot. */
export interface FixEvidence {
  link?: { by: string; at: number; via?: "qr" | "code" | "link" };
  claimedBy?: string;
  reboot?: { by?: string; at: number };
}

/**
 * The closed incident: its cause is the state it opened with (`open`, when the history saw it
 * open; otherwise the watch's last state). A link through greenlight since it began is the fix
 * (its time ends the incident when earlier than the watcher's look); else a reboot (an operator's,
 * or AUTO_REBOOT_STARTING's) since it began; else it came back by itself. An unreachable stretch
 * always ends by itself.
 */
export function closeIncident(
  open: OpenIncident | undefined,
  ended: EndedIncident,
  evidence: FixEvidence,
): HistoryIncident {
  const { incident, kind, at } = ended;
  const since = incident.since;
  const cause: Cause =
    open?.kind === kind && open.since === since
      ? open.cause
      : kind === "unreachable"
        ? "unreachable"
        : (incident.state ?? "notAuthorized");
  const claimedBy = incident.claimedBy ?? evidence.claimedBy;
  const base = {
    cause,
    since,
    ...(claimedBy ? { claimedBy } : {}),
    escalated: incident.escalatedAt !== undefined,
  };
  if (kind === "unreachable") return { ...base, end: at, fix: "self" };
  const link = evidence.link;
  if (link && link.at >= since) {
    return { ...base, end: Math.min(at, link.at), fix: link.via ?? "qr", fixedBy: link.by };
  }
  const reboot =
    evidence.reboot?.at !== undefined && evidence.reboot.at >= since
      ? evidence.reboot
      : incident.autoRebootAt !== undefined && !incident.autoRebootFailed
        ? { at: incident.autoRebootAt }
        : undefined;
  if (reboot)
    return { ...base, end: at, fix: "reboot", ...(reboot.by ? { fixedBy: reboot.by } : {}) };
  return { ...base, end: at, fix: "self" };
}

/**
 * A link told after the incident was closed (the watcher saw the login first): the newest closed
 * outage that ended by itself, within `windowMs` of the link and begun before it, becomes fixed
 * by that link. Undefined: nothing to amend.
 */
export function amendWithLink(
  newest: HistoryIncident | undefined,
  link: { by: string; at: number; via: "qr" | "code" | "link" },
  windowMs: number,
): HistoryIncident | undefined {
  if (!newest || !isOutage(newest) || newest.fix !== "self") return undefined;
  if (link.at < newest.since || Math.abs(newest.end - link.at) > windowMs) return undefined;
  return { ...newest, end: Math.min(newest.end, link.at), fix: link.via, fixedBy: link.by };
}

/** One observation's outcome, with what else was known when it ended an incident. */
export interface AssemblyStep {
  before: InstanceWatch | undefined;
  outcome: Outcome;
  evidence?: FixEvidence;
}

/**
 * The incidents of one instance from the watcher's outcomes, in order: the recorder does the same
 * step by step in Redis; the bench builds its synthetic history with it.
 */
export function assembleIncidents(steps: readonly AssemblyStep[]): {
  closed: HistoryIncident[];
  open: OpenIncident[];
} {
  const open = new Map<string, OpenIncident>();
  const closed: HistoryIncident[] = [];
  for (const { before, outcome, evidence } of steps) {
    const changes = incidentChanges(before, outcome);
    for (const opened of changes.opened) open.set(opened.kind, opened);
    for (const ended of changes.ended) {
      closed.push(closeIncident(open.get(ended.kind), ended, evidence ?? {}));
      open.delete(ended.kind);
    }
  }
  return { closed, open: [...open.values()] };
}
