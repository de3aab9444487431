import type { StateInstance } from "../../../green-api/schemas.js";
import { bold as b, codeList, escapeHtml } from "../html.js";

/** Whole minutes, hours and days, the way a person reads an outage. */
function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** Each state: what it means in a few words, and what to do about it. */
const states: Record<StateInstance, { name: string; todo: string }> = {
  notAuthorized: {
    name: "logged out",
    todo: "Logged out: tap QR and scan it in WhatsApp → Linked devices, or use a pairing code.",
  },
  blocked: {
    name: "banned by WhatsApp",
    todo: "Banned: the number was blocked by WhatsApp. Appeal in the WhatsApp app; a new QR will not help until then.",
  },
  yellowCard: {
    name: "sending suspended (spam)",
    todo: "Sending suspended: WhatsApp suspected spam. Reboot the instance (GREEN-API console or /reboot) and send less.",
  },
  sleepMode: {
    name: "phone offline",
    todo: "Phone offline: turn the phone on, connect it and open WhatsApp.",
  },
  starting: {
    name: "stuck starting",
    todo: "Stuck starting for over 5 minutes: reboot it; if that does not help, log out and link it again.",
  },
  suspended: {
    name: "suspended",
    todo: "Suspended: check the plan and payment in the GREEN-API console.",
  },
  authorized: { name: "authorized", todo: "" },
};

export const alerts = {
  duration,
  states,
  /** "14:05 UTC": when an incident began, in the server's time zone (TZ). */
  clockLocale: "en-GB",
  header: {
    atStart: "🔎 greenlight started and found:",
    attention: (open: number) => `🔴 ${open} instance${open === 1 ? " needs" : "s need"} attention`,
    allRecovered: "✅ All recovered",
  },
  down: (instance: string, state: StateInstance, since: string) =>
    `🔴 ${b(instance)}: ${states[state].name} since ${escapeHtml(since)}`,
  recovered: (instance: string, afterMs: number) =>
    `✅ ${b(instance)} recovered after ${duration(afterMs)}`,
  unreachable: (instance: string, since: string) =>
    `📡 Cannot reach GREEN-API for ${b(instance)} since ${escapeHtml(since)}`,
  reachable: (instance: string, afterMs: number) =>
    `✅ GREEN-API answers again for ${b(instance)} (after ${duration(afterMs)})`,
  unreachableTodo:
    "No answer from GREEN-API (timeouts or server errors) several times in a row. The instance may still work; greenlight keeps checking.",
  more: (count: number) => `…and ${count} more`,
  buttons: {
    qr: "📱 QR",
    code: "🔢 Pairing code",
    qrFor: (instance: string) => `📱 QR ${instance}`,
    codeFor: (instance: string) => `🔢 Code ${instance}`,
  },
  mute: {
    usage: (names: readonly string[]) =>
      [
        "Usage: <code>/mute &lt;instance&gt; &lt;duration&gt;</code>, e.g. <code>/mute shop 2h</code> (m, h, d; up to 7d)",
        `Instances: ${codeList(names)}`,
      ].join("\n"),
    badDuration: (input: string) =>
      `“${escapeHtml(input)}” is not a duration: use e.g. 30m, 2h or 1d (up to 7d).`,
    muted: (instance: string, forMs: number, until: string) =>
      `🔕 Alerts for ${b(instance)} are muted for ${duration(forMs)} (until ${escapeHtml(until)}). /unmute ${escapeHtml(instance)} to end it early.`,
    unmuteUsage: (names: readonly string[]) =>
      `Usage: <code>/unmute &lt;instance&gt;</code>\nInstances: ${codeList(names)}`,
    unmuted: (instance: string) => `🔔 Alerts for ${b(instance)} are on again.`,
    notMuted: (instance: string) => `🔔 Alerts for ${b(instance)} were not muted.`,
  },
};
