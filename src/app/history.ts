import type { UserNames } from "../access/user-names.js";
import type { AuditLog } from "../audit/audit-log.js";
import { HistoryStore } from "../history/history-store.js";
import type { ActionAudit } from "../instance-actions/ports.js";
import type { IncidentCounters } from "../history/ports.js";
import { HistoryRecorder } from "../history/recorder.js";
import type { FixClaims, FixLinks } from "../history/ports.js";
import { DAY_MS } from "../history/uptime.js";
import type { Logger } from "../shared/logger.js";
import type { Shared } from "./shared.js";

/** The incident history's store, as the settings bound it (stateless: build one where needed). */
export function historyStore(shared: Shared): HistoryStore {
  const { env } = shared.config;
  return new HistoryStore(shared.connections.main, env.REDIS_PREFIX, {
    keepMs: env.HISTORY_DAYS * DAY_MS,
    maxPerInstance: env.HISTORY_MAX_INCIDENTS,
    gapMs: shared.settings.historyGapMs,
  });
}

/**
 * The watcher's recorder. `counters`: the incident metrics, once observability implements
 * IncidentCounters (greenlight_incidents_total, greenlight_instance_down_seconds_total); until
 * then none are counted.
 */
export function historyRecorder(
  shared: Shared,
  deps: { links: FixLinks; claims: FixClaims; logger: Logger },
  counters?: IncidentCounters,
): HistoryRecorder {
  return new HistoryRecorder({
    store: historyStore(shared),
    ...deps,
    ...(counters ? { counters } : {}),
  });
}

/**
 * The instance actions' audit trail, which also tells the history of a reboot GREEN-API took:
 * an incident that ends after it is "fixed by reboot" (by whom). Never fails the action.
 */
export function rebootsNoted(
  audit: AuditLog,
  history: HistoryStore,
  names: UserNames,
): ActionAudit {
  return {
    async record(entry) {
      await audit.record(entry);
      if (entry.action !== "reboot" || entry.result !== "done") return;
      const by = await names.nameOf(entry.userId).catch(() => undefined);
      await history.rebooted(entry.instance, by, Date.now()).catch(() => undefined);
    },
  };
}
