import type { AuditEntry } from "../../../audit/audit-log.js";
import type { Texts } from "../../i18n/index.js";

/** "2025-06-01 14:03:07": operators in different time zones compare notes in UTC. */
function utcTime(at: number): string {
  return new Date(at).toISOString().replace("T", " ").slice(0, 19);
}

/** The /audit reply: newest first, one line per action. */
export function formatAudit(entries: readonly AuditEntry[], t: Texts): string {
  if (entries.length === 0) return t.audit.empty;
  const lines = entries.map((entry) => t.audit.line({ ...entry, time: utcTime(entry.at) }));
  return [t.audit.title(entries.length), ...lines].join("\n");
}
