import { durationOf, type HistoryIncident } from "./incident.js";

/** The CSV's columns (RFC 4180, UTC times in ISO 8601). */
export const CSV_HEADER = [
  "instance",
  "cause",
  "started_utc",
  "ended_utc",
  "duration_s",
  "claimed_by",
  "fixed_how",
  "fixed_by",
  "escalated",
] as const;

/**
 * A field as RFC 4180 quotes it. A name that a spreadsheet would run as a formula (=, +, -, @,
 * tab, CR first: OWASP's CSV injection) gets a leading apostrophe: names are typed by people.
 */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The incidents of one instance as CSV text, one row each, in the order given. */
export function incidentsCsv(instance: string, incidents: readonly HistoryIncident[]): string {
  const rows = incidents.map((incident) =>
    [
      instance,
      incident.cause,
      iso(incident.since),
      iso(incident.end),
      String(Math.round(durationOf(incident) / 1000)),
      incident.claimedBy ?? "",
      incident.fix,
      incident.fixedBy ?? "",
      incident.escalated ? "yes" : "no",
    ]
      .map(field)
      .join(","),
  );
  return [CSV_HEADER.join(","), ...rows].join("\r\n") + "\r\n";
}
