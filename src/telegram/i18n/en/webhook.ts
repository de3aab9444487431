import { bold as b, escapeHtml } from "../html.js";

/** /webhook: greenlight in front of the application's GREEN-API webhook (README "/webhook"). */
export const webhook = {
  usage:
    "Usage: <code>/webhook &lt;instance&gt;</code> (the set-up), <code>/webhook &lt;instance&gt; on</code> or <code>off</code>",
  notConfigured: (missing: string) =>
    `🔧 /webhook needs greenlight's GREEN-API webhook: set ${escapeHtml(missing)} (README "The GREEN-API webhook"), then restart.`,
  title: (instance: string) => `🪝 ${b(instance)}: GREEN-API webhook`,
  now: {
    greenlight: "Now: → greenlight ✅",
    app: (url: string) => `Now: → ${escapeHtml(url)} (not greenlight)`,
    none: "Now: no webhook URL (an application may be polling with ReceiveNotification)",
    unreadable: (reason: string) => `Now: could not read its settings: ${escapeHtml(reason)}`,
    stateWebhook: (value: string) => `stateWebhook: ${escapeHtml(value)}`,
  },
  switched: (at: string, userId: number) => `Switched on ${escapeHtml(at)} UTC by user ${userId}.`,
  forwardTo: (url: string) => `Forward target (what it had): ${escapeHtml(url)}`,
  noForward: "It had no webhook URL: nothing to forward to.",
  stateTurnedOn: "greenlight turned stateWebhook on; /webhook off turns it back off.",
  tookEffect: (at: string) =>
    `✅ In effect since ${escapeHtml(at)} UTC (the first notification through greenlight).`,
  notYet:
    "⏳ Not in effect yet: no notification has come through greenlight since the switch. GREEN-API applies new settings within 5 minutes.",
  backlog: (count: number, size: string, oldest: string | undefined) =>
    `Relay backlog: ${count} notification(s), ${escapeHtml(size)}${oldest ? `, the oldest from ${escapeHtml(oldest)} UTC` : ""}.`,
  failingSince: (at: string) => `⚠️ The application has been failing since ${escapeHtml(at)} UTC.`,
  deadLettered: (count: number) => `☠️ ${count} notification(s) dead-lettered.`,
  notSwitched: (instance: string) =>
    `greenlight has not switched it. <code>/webhook ${escapeHtml(instance)} on</code> puts greenlight in front of it.`,
  confirmOn: (instance: string, forward: string | undefined, turnsStateOn: boolean) =>
    [
      `🪝 Point ${b(instance)}'s GREEN-API webhook at greenlight?`,
      forward
        ? `Its notifications then come to greenlight, which forwards them to what it has now: ${escapeHtml(forward)}.`
        : "It has no webhook URL now.",
      turnsStateOn
        ? "stateWebhook is off: greenlight turns it on (its alerts need it); /webhook off turns it back off."
        : "The other notification switches stay as they are.",
      "⚠️ setSettings reboots the instance, and GREEN-API applies the new settings within 5 minutes.",
    ].join("\n"),
  confirmPolling: (instance: string) =>
    [
      `⚠️ ${b(instance)} has no webhook URL. An application that receives its notifications by polling (ReceiveNotification / DeleteNotification) needs it empty, and would stop getting them once it points at greenlight.`,
      "Point it at greenlight anyway? Only if nothing polls this instance.",
    ].join("\n"),
  secondQuestion: (instance: string) =>
    `⚠️ ${b(instance)} has no webhook URL: one more question, below.`,
  confirmOff: (instance: string, url: string | undefined) =>
    [
      `🪝 Restore ${b(instance)}'s webhook to what it had${url ? `: ${escapeHtml(url)}` : ": no URL"}?`,
      "⚠️ setSettings reboots the instance, and GREEN-API applies the settings within 5 minutes.",
    ].join("\n"),
  yesOn: "✅ Yes, point it at greenlight",
  yesSure: "✅ Yes, nothing polls it",
  yesOff: "✅ Yes, restore",
  no: "↩️ No",
  kept: (instance: string) => `↩️ Nothing changed on ${b(instance)}.`,
  working: (instance: string) => `⏳ Changing ${b(instance)}'s settings…`,
  privateTarget: (instance: string, url: string) =>
    `🛑 ${b(instance)}'s application is on a private address (${escapeHtml(url)}): greenlight relays only to public ones, so pointing the webhook at greenlight would cut the application off. Nothing changed. If that host is meant, the operator names it in FORWARD_PRIVATE_HOSTS and restarts.`,
  alreadyOn: (instance: string) => `🪝 ${b(instance)}'s webhook already points at greenlight.`,
  notOn: (instance: string) =>
    `🪝 greenlight did not switch ${b(instance)}'s webhook: there is nothing to restore.`,
  changedSince: (instance: string) =>
    `🪝 ${b(instance)}'s webhook now points somewhere else than greenlight or what it had: someone changed it since. greenlight leaves it as it is and keeps what it had; set it in the GREEN-API console.`,
  switchedOn: (instance: string, forward: string | undefined, stateOn: boolean) =>
    [
      `🪝 ${b(instance)} now points at greenlight${forward ? `, which forwards to ${escapeHtml(forward)}` : ""}.`,
      stateOn ? "stateWebhook turned on." : "",
      `The instance reboots; the settings apply within 5 minutes: <code>/webhook ${escapeHtml(instance)}</code> shows when.`,
    ]
      .filter(Boolean)
      .join("\n"),
  restored: (instance: string, url: string | undefined, state: string | undefined) =>
    [
      `🪝 ${b(instance)}'s webhook is back to ${url ? escapeHtml(url) : "no URL"}${state ? `, stateWebhook ${escapeHtml(state)}` : ""}.`,
      "The instance reboots; the settings apply within 5 minutes.",
    ].join("\n"),
  failed: (instance: string, reason: string, mayHaveApplied: boolean) =>
    [
      `❌ ${b(instance)}: ${escapeHtml(reason)}`,
      mayHaveApplied
        ? "GREEN-API may have saved it anyway: check with /webhook in 5 minutes; what it had is kept, so /webhook off can restore it."
        : "Nothing was changed.",
    ].join("\n"),
};
