import {
  isKnownState,
  type KnownStateInstance,
  type StateInstance,
} from "../../../status/ports.js";
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
const states: Record<KnownStateInstance, { name: string; todo: string }> = {
  notAuthorized: {
    name: "logged out",
    todo: "Logged out: tap QR and scan it in WhatsApp → Linked devices, or use a pairing code.",
  },
  blocked: {
    name: "banned by WhatsApp",
    todo: "Banned: WhatsApp blocked the number. No button here can fix that: appeal in the WhatsApp app (Settings → Help → Contact us); a new QR will not help until WhatsApp lifts the ban.",
  },
  yellowCard: {
    name: "sending suspended (spam)",
    todo: "Sending suspended: WhatsApp suspected spam, and messages wait in GREEN-API's queue (24 h). GREEN-API's fix: reboot the instance, then send less, and to people who wrote first.",
  },
  sleepMode: {
    name: "phone offline",
    todo: "Phone offline: turn the phone on, connect it and open WhatsApp. No QR is needed: the instance comes back by itself within about 5 minutes.",
  },
  starting: {
    name: "stuck starting",
    todo: "Stuck starting: GREEN-API's advice is a reboot, then a check after a couple of minutes; if that does not help, contact GREEN-API support.",
  },
  suspended: {
    name: "sending restricted for a while",
    todo: "Suspended: WhatsApp restricted sending from this number for a while (a partial ban, not a payment problem). Wait until it ends: GREEN-API gives the end time as suspendedUntil (GetAccountSettings).",
  },
  authorized: { name: "authorized", todo: "" },
};

/** A state GREEN-API does not document (yet): its value, as sent. */
const unknownState = (state: string) => ({
  name: `unknown state «${escapeHtml(state)}»`,
  todo: `Unknown state: GREEN-API answered «${escapeHtml(state)}», which its docs do not list. Check the instance in the GREEN-API console.`,
});

/** The words of any state, documented or not. */
const wordsOf = (state: StateInstance) =>
  isKnownState(state) ? states[state] : unknownState(state);

export const alerts = {
  duration,
  states,
  wordsOf,
  /** "14:05 UTC": when an incident began, in the server's time zone (TZ). */
  clockLocale: "en-GB",
  header: {
    atStart: "🔎 greenlight started and found:",
    attention: (open: number) => `🔴 ${open} instance${open === 1 ? " needs" : "s need"} attention`,
    allRecovered: "✅ All recovered",
  },
  down: (instance: string, state: StateInstance, since: string) =>
    `🔴 ${b(instance)}: ${wordsOf(state).name} since ${escapeHtml(since)}`,
  recovered: (instance: string, afterMs: number) =>
    `✅ ${b(instance)} recovered after ${duration(afterMs)}`,
  unreachable: (instance: string, since: string) =>
    `📡 Cannot reach GREEN-API for ${b(instance)} since ${escapeHtml(since)}`,
  reachable: (instance: string, afterMs: number) =>
    `✅ GREEN-API answers again for ${b(instance)} (after ${duration(afterMs)})`,
  /** The words: "shop says authorized but 12 messages have waited for 15 min". */
  stuck: (instance: string, queued: number, waitedMs: number) =>
    `📤 ${b(instance)} says authorized but ${queued} message${queued === 1 ? " has" : "s have"} waited for ${duration(waitedMs)}`,
  moving: (instance: string, afterMs: number) =>
    `✅ ${b(instance)}'s queue is moving again (after ${duration(afterMs)})`,
  stuckTodo:
    "Authorized, yet GREEN-API's send queue does not move: tap Reboot. If it stays stuck, open WhatsApp on the phone and check its connection. GREEN-API keeps queued messages for 24 h.",
  unreachableTodo:
    "No answer from GREEN-API (timeouts or server errors) several times in a row. The instance may still work; greenlight keeps checking.",
  more: (count: number) => `…and ${count} more`,
  /** "✅ shop linked by Ivan at 03:12 (down 17 min)" */
  linked: (instance: string, by: string, at: string, downMs: number) =>
    `✅ ${b(instance)} linked by ${escapeHtml(by)} at ${escapeHtml(at)} (down ${duration(downMs)})`,
  autoRebooted: (at: string) =>
    `   🔁 Stuck starting: greenlight rebooted it at ${escapeHtml(at)} (AUTO_REBOOT_STARTING). GREEN-API: check again in a couple of minutes.`,
  autoRebootFailed: (at: string) =>
    `   🔁 greenlight tried to reboot it at ${escapeHtml(at)} (AUTO_REBOOT_STARTING), but GREEN-API refused: reboot it by hand.`,
  claimed: (by: string) => `   👤 ${escapeHtml(by)} is on it`,
  /**
   * Early warning: WhatsApp unlinks companion devices after about 14 days with the phone offline.
   * What greenlight knows is only when the phone last sent a message (outgoingMessageReceived):
   * said as such, never as "the phone is offline".
   */
  offline: (instance: string, forMs: number, lastSeen: string) =>
    `📵 No message sent from ${b(instance)}'s phone for ${duration(forMs)} (the last one greenlight saw: ${escapeHtml(lastSeen)}). WhatsApp unlinks an instance whose phone stays offline about 14 days. If the phone is off or has no internet, bring it online and open WhatsApp; if it is just unused, opening WhatsApp on it now and then keeps the link.`,
  /** The end of a QR session or pairing code that linked the instance: who, when, the backlog. */
  closure: {
    by: (name: string, at: string) => `👤 Linked by ${escapeHtml(name)} at ${escapeHtml(at)}.`,
    byLink: (name: string, at: string) =>
      `👤 Linked through the link ${escapeHtml(name)} sent, at ${escapeHtml(at)}.`,
    queued: (count: number) =>
      `📤 ${count} message${count === 1 ? "" : "s"} GREEN-API queued while it was down ${count === 1 ? "is" : "are"} going out now. GREEN-API keeps queued messages for 24 h.`,
    none: "📭 No messages were waiting in GREEN-API's queue.",
  },
  claim: {
    yours: (instance: string) => `👤 ${instance} is yours: everyone reading the alert sees it.`,
    taken: (by: string) => `👤 ${by} is already on it.`,
    nothing: (instance: string) => `${instance} has no open incident to take.`,
  },
  /** Where the buttons cannot help: said plainly instead. */
  yellowCardLink: "https://green-api.com/en/docs/faq/yellowCard/",
  buttons: {
    qr: "📷 QR",
    code: "🔑 Pairing code",
    qrFor: (instance: string) => `📷 QR ${instance}`,
    codeFor: (instance: string) => `🔑 Code ${instance}`,
    /** "🔑 Code to +7 900 ···67": one tap, the remembered number. */
    codeTo: (phone: string) => `🔑 Code to ${phone}`,
    codeToFor: (instance: string, phone: string) => `🔑 ${instance}: code to ${phone}`,
    anotherNumber: "📞 Another number",
    reboot: "🔁 Reboot",
    rebootFor: (instance: string) => `🔁 Reboot ${instance}`,
    yellowCard: "ℹ️ What is yellowCard?",
    claim: "🙋 I'm on it",
    claimFor: (instance: string) => `🙋 I'm on ${instance}`,
    showAll: "📜 Show all",
    previous: "◀",
    next: "▶",
  },
  /** The digest's pager: a page of the instances the reader may see. */
  pager: {
    title: (page: number, pages: number, count: number) =>
      `📜 All instances of this alert (${count}), page ${page} of ${pages}`,
    empty: "None of this alert's instances are yours to see.",
    gone: "This alert is too old to page through.",
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
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
