import {
  type FleetPage,
  INCIDENTS_PER_PAGE,
  type InstancePage,
} from "../../../history/history-query.js";
import type { Cause, HistoryIncident } from "../../../history/incident.js";
import { durationOf } from "../../../history/incident.js";
import { percentText } from "../../../history/uptime.js";
import type { Texts } from "../../i18n/index.js";

/** "2026-12-01 14:03" (UTC): operators in different time zones compare notes in UTC. */
const utcMinute = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

/** Two decimals, since the difference between 99 % and 99.9 % is hours a month. */
function percent(ratio: number | undefined, t: Texts): string {
  return ratio === undefined ? t.history.noFigure : percentText(ratio);
}

function causeWords(cause: Cause, t: Texts): string {
  return cause === "unreachable" ? t.history.unreachable : t.alerts.wordsOf(cause).name;
}

function incidentLine(incident: HistoryIncident, t: Texts): string {
  const start = utcMinute(incident.since);
  const end = utcMinute(incident.end);
  return t.history.line({
    start,
    // The end's date only when it differs from the start's.
    end: end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end,
    duration: t.alerts.duration(durationOf(incident)),
    cause: causeWords(incident.cause, t),
    fix: incident.fix,
    ...(incident.fixedBy ? { fixedBy: incident.fixedBy } : {}),
    ...(incident.claimedBy ? { claimedBy: incident.claimedBy } : {}),
    escalated: incident.escalated,
  });
}

/** /history <instance>: the figures, the open outage, one page of incidents. */
export function instancePageText(view: InstancePage, t: Texts, now = Date.now()): string {
  const h = t.history;
  const { summary } = view;
  const lines = [
    h.title(view.instance),
    h.uptime(
      percent(summary.uptime.day.ratio, t),
      percent(summary.uptime.week.ratio, t),
      percent(summary.uptime.month.ratio, t),
    ),
    h.meanTimeToFix(
      summary.meanTimeToFixMs === undefined
        ? undefined
        : t.alerts.duration(summary.meanTimeToFixMs),
    ),
  ];
  if (summary.longest) {
    const { durationMs, since, open } = summary.longest;
    lines.push(h.longest(t.alerts.duration(durationMs), utcMinute(since).slice(0, 10), open));
  }
  if (view.open) {
    const { cause, since } = view.open;
    lines.push(h.downNow(causeWords(cause, t), utcMinute(since), t.alerts.duration(now - since)));
  }
  lines.push("");
  if (view.total === 0) lines.push(h.none);
  else {
    const from = view.page * INCIDENTS_PER_PAGE + 1;
    lines.push(h.incidents(from, from + view.incidents.length - 1, view.total));
    lines.push(...view.incidents.map((incident) => incidentLine(incident, t)));
  }
  lines.push("", h.gaps);
  return lines.join("\n");
}

/** /history: one page of the reader's instances, worst 7-day uptime first. */
export function fleetPageText(view: FleetPage, t: Texts): string {
  const h = t.history;
  const rows = view.rows.map((row) =>
    h.fleetLine({
      instance: row.instance,
      week: percent(row.week, t),
      month: percent(row.month, t),
      outages: row.outages,
      ...(row.meanTimeToFixMs !== undefined
        ? { meanTimeToFix: t.alerts.duration(row.meanTimeToFixMs) }
        : {}),
      down: row.down,
    }),
  );
  return [h.fleetTitle(view.total, view.page + 1, view.pages), "", ...rows, "", h.fleetHint].join(
    "\n",
  );
}
