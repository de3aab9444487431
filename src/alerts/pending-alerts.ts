import {
  type AlertItem,
  INCIDENT_KINDS,
  type Incident,
  type IncidentKind,
  type InstanceWatch,
} from "./watch-state.js";

/** One incident still to be told in one chat. */
export interface PendingIncident {
  name: string;
  kind: IncidentKind;
  incident: Incident;
}

export interface PendingAlerts {
  /** Every chat with something to tell: its incidents (possibly none, for a warning only). */
  byChat: Map<number, PendingIncident[]>;
  /** Early warnings (phone offline for days), per chat: they go in the same one message. */
  warnings: Map<number, AlertItem[]>;
  /** Watches whose warnings were taken off (`offline.unsent` emptied): to be saved. */
  warned: Map<string, InstanceWatch>;
}

/**
 * What each chat is still to be told: open incidents with the chat in `unsent`, and offline
 * warnings. A muted instance's incidents wait (they stay `unsent`, told once the mute ends); its
 * warnings are dropped, not held (a later threshold still warns). Takes the warnings off their
 * watches (`offline.unsent` emptied), so each is told once.
 */
export function collectPending(
  watches: ReadonlyMap<string, InstanceWatch | undefined>,
  muted: { has(instance: string): boolean },
): PendingAlerts {
  const byChat = new Map<number, PendingIncident[]>();
  for (const [name, watch] of watches) {
    if (!watch || muted.has(name)) continue;
    for (const kind of INCIDENT_KINDS) {
      const incident = watch[kind];
      if (!incident) continue;
      for (const chatId of incident.unsent) {
        byChat.set(chatId, [...(byChat.get(chatId) ?? []), { name, kind, incident }]);
      }
    }
  }
  const warnings = new Map<number, AlertItem[]>();
  const warned = new Map<string, InstanceWatch>();
  for (const [name, watch] of watches) {
    const offline = watch?.offline;
    if (!watch || !offline || offline.unsent.length === 0) continue;
    if (!muted.has(name)) {
      const item: AlertItem = {
        kind: "offline",
        instance: name,
        since: offline.since,
        initial: false,
        offlineForMs: Math.max(...offline.warned),
      };
      for (const chatId of offline.unsent) {
        warnings.set(chatId, [...(warnings.get(chatId) ?? []), item]);
        if (!byChat.has(chatId)) byChat.set(chatId, []);
      }
    }
    offline.unsent = [];
    warned.set(name, watch);
  }
  return { byChat, warnings, warned };
}

/** An incident's line in a new alert; a logged-out instance's line carries its last number. */
export function incidentItem({ name, kind, incident }: PendingIncident, phone?: string): AlertItem {
  return {
    kind,
    instance: name,
    state: incident.state,
    since: incident.since,
    initial: incident.initial,
    ...(kind === "down" && incident.state === "notAuthorized" && phone ? { phone } : {}),
    ...(incident.autoRebootAt ? { autoRebootAt: incident.autoRebootAt } : {}),
    ...(incident.autoRebootFailed ? { autoRebootFailed: true } : {}),
    ...(incident.claimedBy ? { claimedBy: incident.claimedBy } : {}),
    ...(incident.queued !== undefined ? { queued: incident.queued } : {}),
    ...(incident.waitedMs !== undefined ? { waitedMs: incident.waitedMs } : {}),
  };
}
