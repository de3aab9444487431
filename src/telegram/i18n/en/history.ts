import { bold as b, escapeHtml } from "../html.js";

/** One incident line of /history <instance>, its parts already formatted (UTC, durations). */
export interface HistoryLine {
  start: string;
  end: string;
  duration: string;
  /** The cause in words (a state's name, or "GREEN-API unreachable"). */
  cause: string;
  fix: "qr" | "code" | "link" | "reboot" | "self";
  fixedBy?: string;
  claimedBy?: string;
  escalated: boolean;
}

const fixWords: Record<HistoryLine["fix"], string> = {
  qr: "QR",
  code: "pairing code",
  link: "link page",
  reboot: "reboot",
  self: "by itself",
};

export const history = {
  title: (instance: string) => `📈 ${b(`History of ${instance}`)}`,
  uptime: (day: string, week: string, month: string) =>
    `Uptime: 24 h ${b(day)} · 7 d ${b(week)} · 30 d ${b(month)}`,
  /** No figure: greenlight has not watched the instance in that window. */
  noFigure: "—",
  meanTimeToFix: (duration: string | undefined) =>
    `Mean time to fix: ${duration === undefined ? "—" : b(duration)}`,
  longest: (duration: string, date: string, open: boolean) =>
    `Longest outage: ${b(duration)} (${date}${open ? ", still down" : ""})`,
  downNow: (cause: string, since: string, duration: string) =>
    `🔴 Down now: ${escapeHtml(cause)} since ${since} UTC (${duration})`,
  none: "No incidents recorded.",
  incidents: (from: number, to: number, total: number) =>
    `Incidents ${from}–${to} of ${total} (newest first, UTC):`,
  line: (l: HistoryLine) =>
    [
      `• ${l.start} → ${l.end} (${b(l.duration)}) ${escapeHtml(l.cause)}`,
      l.fix === "self" || !l.fixedBy
        ? `fixed: ${fixWords[l.fix]}`
        : `fixed by ${escapeHtml(l.fixedBy)} (${fixWords[l.fix]})`,
      l.claimedBy && `claimed by ${escapeHtml(l.claimedBy)}`,
      l.escalated && "escalated",
    ]
      .filter(Boolean)
      .join(" · "),
  unreachable: "GREEN-API unreachable",
  gaps: "Uptime counts only the time greenlight was watching: its own gaps are left out.",
  fleetTitle: (count: number, page: number, pages: number) =>
    `📈 ${b("Uptime, worst first")} · ${count} instance${count === 1 ? "" : "s"}${pages > 1 ? ` · page ${page} of ${pages}` : ""}`,
  fleetLine: (r: {
    instance: string;
    week: string;
    month: string;
    outages: number;
    meanTimeToFix?: string;
    down: boolean;
  }) =>
    `${r.down ? "🔴" : "🟢"} ${b(r.instance)} 7 d ${r.week} · 30 d ${r.month} · ${r.outages} outage${r.outages === 1 ? "" : "s"}${r.meanTimeToFix ? ` · fix ${r.meanTimeToFix}` : ""}`,
  fleetHint: "<code>/history shop</code> — one instance's incidents.",
  usage:
    "Usage: <code>/history</code> (every instance), <code>/history shop</code>, <code>/history shop csv</code> (admins: a CSV file in your private chat).",
  csvCaption: (instance: string, count: number) =>
    `📄 ${b(instance)}: ${count} incident${count === 1 ? "" : "s"} (UTC).`,
  csvSent: (instance: string) => `📄 The CSV of ${b(instance)} is in your private chat.`,
  csvNoPrivateChat:
    "I cannot write to you privately yet: open a private chat with me, press Start, then ask again.",
  page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  buttons: { older: "◀ Older", newer: "Newer ▶", previous: "◀", next: "▶" },
};
