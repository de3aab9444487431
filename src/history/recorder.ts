import type { IncidentHistory } from "../alerts/ports.js";
import type { Outcome } from "../alerts/transitions.js";
import type { InstanceWatch } from "../alerts/watch-state.js";
import type { Logger } from "../shared/logger.js";
import type { HistoryStore } from "./history-store.js";
import {
  closeIncident,
  durationOf,
  type FixEvidence,
  incidentChanges,
  isOutage,
} from "./incident.js";
import type { FixClaims, FixLinks, IncidentCounters } from "./ports.js";

export interface HistoryRecorderDeps {
  store: HistoryStore;
  links: FixLinks;
  claims: FixClaims;
  /** Optional until observability implements it: app/ passes it when it exists. */
  counters?: IncidentCounters;
  logger: Logger;
}

/**
 * The alerts pipeline's incident history (alerts/ports.ts IncidentHistory): after each `observe`
 * the watcher tells it what changed; it keeps open incidents and closes them with their fix.
 * Touches Redis only when something opened or ended (and once per newly seen instance).
 */
export class HistoryRecorder implements IncidentHistory {
  constructor(private readonly deps: HistoryRecorderDeps) {}

  async observed(name: string, before: InstanceWatch | undefined, outcome: Outcome): Promise<void> {
    const { store, counters } = this.deps;
    if (before?.state === undefined && outcome.watch.state !== undefined) {
      await store.markSeen(name, Date.now());
    }
    const changes = incidentChanges(before, outcome);
    for (const open of changes.opened) {
      await store.saveOpen(name, open);
      if (isOutage(open)) counters?.incidentOpened(open.cause);
    }
    for (const ended of changes.ended) {
      const open = await store.takeOpen(name, ended.kind);
      const evidence = ended.kind === "down" ? await this.evidence(name, ended.incident.since) : {};
      const incident = closeIncident(open, ended, evidence);
      await store.add(name, incident);
      if (isOutage(incident)) counters?.incidentClosed(durationOf(incident), incident.fix);
    }
  }

  async watchRun(at: number): Promise<void> {
    await this.deps.store.watchRun(at);
  }

  private async evidence(name: string, since: number): Promise<FixEvidence> {
    const { links, claims, store } = this.deps;
    const [link, claimedBy, reboot] = await Promise.all([
      links.linkedSince(name, since).catch(() => undefined),
      claims.claimedBy(name, since).catch(() => undefined),
      store.rebootOf(name).catch(() => undefined),
    ]);
    return {
      ...(link ? { link } : {}),
      ...(claimedBy ? { claimedBy } : {}),
      ...(reboot ? { reboot } : {}),
    };
  }
}
