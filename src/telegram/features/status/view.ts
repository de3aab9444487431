import { formatPhone, type PhoneVisibility } from "../../../pairing/phone.js";
import type { InstanceReport } from "../../../status/live-check.js";
import type { QuotaNotice } from "../../../status/ports.js";
import { billingDate } from "../../../shared/time-format.js";
import type { Texts } from "../../i18n/index.js";

/** "2026-12-02 14:05", UTC: /status says its times are UTC (live list and fleet pages alike). */
export const utcMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** What the live list shows beside each instance's state (Redis, memory: no GREEN-API). */
export interface LiveExtras {
  mutes: ReadonlyMap<string, number>;
  quotas: ReadonlyMap<string, QuotaNotice>;
  /** When the instance's paid period ends, as the partner account says (fleet sync). */
  paidUntil: (instance: string) => number | undefined;
  /** Whole numbers only where the reader may see them (features/status/index.ts). */
  phones: (instance: string) => PhoneVisibility;
}

/** "correspondents 3/3, CORRESPONDENTS_QUOTA_EXCEEDED": what a person can read of a notice. */
function describeQuota(notice: QuotaNotice): string {
  const counts =
    notice.used !== undefined || notice.total !== undefined
      ? `${notice.used ?? "?"}/${notice.total ?? "?"}`
      : "";
  return [[notice.method, counts].filter(Boolean).join(" "), notice.status]
    .filter(Boolean)
    .join(", ");
}

function stateLine(report: InstanceReport, t: Texts, phones: LiveExtras["phones"]): string {
  const s = t.toolkit.status;
  switch (report.kind) {
    case "unreachable":
      return s.unreachable;
    case "busy":
      return t.greenApi.status.busy;
    case "rejected":
      return s.rejected;
    case "forbidden":
    case "quota-exceeded":
      return t.greenApi.status[report.kind];
    case "state": {
      const state = t.toolkit.states[report.state] ?? t.toolkit.unknownState(report.state);
      const phone = report.phone ? s.phone(formatPhone(report.phone, phones(report.name))) : "";
      return state + phone;
    }
  }
}

/** One line per instance, in the order given, under `title`, with the time of the check. */
export function liveListText(
  reports: readonly InstanceReport[],
  checkedAt: number,
  t: Texts,
  extras: LiveExtras,
  title = t.toolkit.status.title,
): string {
  const s = t.toolkit.status;
  const lines = reports.map((report) => {
    const muted = extras.mutes.get(report.name);
    const quota = extras.quotas.get(report.name);
    const paid = extras.paidUntil(report.name);
    return (
      s.line(report.name, stateLine(report, t, extras.phones)) +
      (muted ? `\n   ${s.muted(utcMinute(muted))}` : "") +
      (quota ? `\n   ${t.greenApi.quotaNotice(utcMinute(quota.at), describeQuota(quota))}` : "") +
      (paid === undefined ? "" : `\n   ${t.fleet.paidUntil(billingDate(paid))}`)
    );
  });
  return [title, "", ...lines, "", s.checkedAt(utcMinute(checkedAt))].join("\n");
}

/**
 * GREEN-API's universal hosts: they serve any instance, but GREEN-API calls them a temporary
 * measure and asks for the host the console shows (…/api/recommendations/using-green-api-hosts).
 */
const UNIVERSAL_HOSTS = new Set(["api.greenapi.com", "api.green-api.com"]);

/** Which host greenlight calls for the instance, and whether it is the universal one. */
export function hostLine(apiUrl: string, t: Texts): string {
  let host = apiUrl;
  try {
    host = new URL(apiUrl).host;
  } catch {
    // shown as configured
  }
  const s = t.toolkit.status;
  return UNIVERSAL_HOSTS.has(host.toLowerCase()) ? s.universalHost(host) : s.ownHost(host);
}

/** /status <instance>: its line, the host it is called on, then GREEN-API's recent states. */
export function detailText(
  report: InstanceReport,
  history: ReadonlyArray<{ at: number; state: string }>,
  checkedAt: number,
  t: Texts,
  extras: LiveExtras & { apiUrl: string; phoneSeenAt?: number },
): string {
  const s = t.toolkit.status;
  return [
    liveListText([report], checkedAt, t, extras, s.detailTitle(report.name)),
    hostLine(extras.apiUrl, t),
    // What greenlight can see of the phone itself, said as it is (README "What greenlight sees").
    extras.phoneSeenAt === undefined ? s.phoneNotSeen : s.phoneSeen(utcMinute(extras.phoneSeenAt)),
    "",
    history.length ? s.history : s.noHistory,
    ...history.map(
      (entry) =>
        `• ${utcMinute(entry.at)} — ${t.toolkit.states[entry.state] ?? t.toolkit.unknownState(entry.state)}`,
    ),
  ].join("\n");
}
