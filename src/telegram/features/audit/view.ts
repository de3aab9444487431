import type { AuditEntry } from "../../../audit/audit-log.js";
import type { Texts } from "../../i18n/index.js";

/** "02/01/2031, 03:04:05 UTC" (ru: "02.01.2031, 03:04:05 UTC"): the reader's format, TZ's zone. */
export function auditTime(at: number, t: Texts): string {
  return new Intl.DateTimeFormat(t.alerts.clockLocale, {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  }).format(at);
}

/** The /audit reply: newest first, one line per action, each person by name where known. */
export function formatAudit(
  entries: readonly AuditEntry[],
  t: Texts,
  names: ReadonlyMap<number, string>,
): string {
  if (entries.length === 0) return t.audit.empty;
  const lines = entries.map((entry) =>
    t.audit.line({
      ...entry,
      time: auditTime(entry.at, t),
      by: names.get(entry.userId) ?? t.audit.someone(entry.userId),
      privateChat: entry.chatId === entry.userId,
    }),
  );
  return [t.audit.title(entries.length), ...lines].join("\n");
}
