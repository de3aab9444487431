import { bold as b, codeList, escapeHtml } from "../html.js";

/** /start, /help, /status, /logout, /reboot and the command menu. */
export const toolkit = {
  commands: {
    qr: "Show a live QR code to link an instance",
    code: "Get a pairing code (link by phone number)",
    link: "Make a web page with the live QR for whoever holds the phone",
    status: "State of every instance",
    logout: "Log an instance out",
    reboot: "Reboot an instance",
    mute: "Silence an instance's alerts for a while",
    unmute: "Alerts on again",
    audit: "The last 20 operator actions",
    history: "Incidents, uptime and time to fix",
    instances: "Every instance greenlight knows, and where from",
    webhook: "Put greenlight in front of an instance's webhook, or restore it",
    help: "What this bot does",
  },
  help: (names: readonly string[], may: { operate: boolean; administer: boolean }) =>
    [
      "🟢 <b>greenlight</b> brings logged-out GREEN-API WhatsApp instances back online from your phone.",
      "",
      may.operate &&
        "<code>/qr shop</code> — a live QR code; scan it in WhatsApp → Linked devices → Link a device. The photo refreshes itself until shop is linked.",
      may.operate &&
        "<code>/code shop +7 900 123-45-67</code> — a pairing code to type on that phone (for when you cannot scan your own screen).",
      may.operate &&
        "<code>/link shop</code> — a web page with the live QR (or a pairing code) for whoever holds the phone, with no access to the bot; it expires by itself.",
      "<code>/status</code> — every instance and its state; <code>/status shop</code> — one in detail.",
      may.administer &&
        "<code>/logout shop</code>, <code>/reboot shop</code> — with a confirmation.",
      may.operate &&
        "<code>/mute shop 2h</code>, <code>/unmute shop</code> — silence alerts during planned work.",
      "<code>/history</code> — uptime of every instance, worst first; <code>/history shop</code> — its incidents, who fixed them and how.",
      may.administer && "<code>/audit</code> — the last 20 operator actions.",
      may.administer &&
        "<code>/instances</code> — every instance greenlight knows, from the instances file or the GREEN-API account.",
      may.administer &&
        "<code>/webhook shop on</code> / <code>off</code> — put greenlight in front of shop's GREEN-API webhook (it forwards everything to the application), or restore it; <code>/webhook shop</code> shows the set-up.",
      "",
      "Without an instance name, commands offer buttons.",
      names.length ? `Your instances: ${codeList(names)}` : "You have no instances yet.",
    ]
      .filter((line) => line !== false)
      .join("\n"),
  strangerStart: (userId: number) =>
    [
      "This is a private bot for the operators of a GREEN-API account.",
      `Your Telegram user id is <code>${userId}</code>. To get access, send it to the admin of this bot: they add it to OPERATOR_IDS.`,
    ].join("\n"),
  pick: {
    qr: "📷 QR code for which instance?",
    logout: "🚪 Log out which instance?",
    reboot: "🔁 Reboot which instance?",
  },
  noInstances: "You have no instances.",
  usage: {
    status: "Usage: <code>/status</code> or <code>/status &lt;instance&gt;</code>",
  },
  status: {
    title: "📋 <b>Instances</b>",
    line: (instance: string, stateLine: string) => `${b(instance)} — ${stateLine}`,
    unreachable: "❔ unreachable (GREEN-API did not answer)",
    rejected: "⛔ credentials rejected",
    muted: (until: string) => `🔕 alerts muted until ${escapeHtml(until)} UTC`,
    checkedAt: (time: string) => `<i>Checked ${escapeHtml(time)} UTC</i>`,
    phone: (phone: string) => ` as ${escapeHtml(phone)}`,
    detailTitle: (instance: string) => `📋 ${b(instance)}`,
    history: "Recent states:",
    phoneSeen: (at: string) =>
      `📱 The phone last sent a message at ${escapeHtml(at)} UTC (outgoingMessageReceived). The 10/13-day warnings count from there.`,
    phoneNotSeen:
      "📱 greenlight has not seen this phone send anything: it sees the phone only through outgoingMessageReceived webhooks (GREEN-API's “messages sent from the phone” setting, webhook pointed at greenlight). Polling shows the instance's state, never the phone, so no early warning comes before WhatsApp unlinks an idle phone.",
    ownHost: (host: string) => `🌐 Called on ${escapeHtml(host)}`,
    universalHost: (host: string) =>
      `🌐 Called on ${escapeHtml(host)}, GREEN-API's universal host, which it calls temporary: put this instance's apiUrl from the GREEN-API console in the instances file.`,
    noHistory: "No state history available.",
    refresh: "🔄 Refresh",
    qr: (instance: string) => `📷 QR ${instance}`,
    code: (instance: string) => `🔑 Code ${instance}`,
    refreshed: "Updated.",
    /** /status when the reader sees more than a few instances: the watcher's records, paged. */
    fleet: {
      summary: (total: string, counts: readonly string[]) =>
        [`📋 <b>${total} instances</b>`, ...counts].join(" · "),
      counts: {
        authorized: (n: string) => `✅ ${n} authorized`,
        notAuthorized: (n: string) => `⚠️ ${n} not authorized`,
        blocked: (n: string) => `⛔ ${n} blocked`,
        yellowCard: (n: string) => `🟨 ${n} yellow card`,
        suspended: (n: string) => `⏸ ${n} sending restricted`,
        sleepMode: (n: string) => `😴 ${n} sleep mode`,
        starting: (n: string) => `⏳ ${n} starting`,
        unknown: (n: string) => `❓ ${n} in an unknown state`,
        unreachable: (n: string) => `❔ ${n} unreachable`,
        unchecked: (n: string) => `🕓 ${n} not checked yet`,
      },
      /** One page line's state: short, the full sentence is in /status <instance>. */
      states: {
        authorized: "✅ authorized",
        notAuthorized: "⚠️ not authorized",
        blocked: "⛔ blocked",
        yellowCard: "🟨 yellow card",
        suspended: "⏸ sending restricted",
        sleepMode: "😴 sleep mode",
        starting: "⏳ starting",
        unreachable: "❔ unreachable",
        unchecked: "🕓 not checked yet",
      },
      /** A state GREEN-API does not document, with its value as sent. */
      unknownState: (state: string) => `❓ unknown state «${escapeHtml(state)}»`,
      checked: (oldest: string, newest: string) =>
        `<i>As the state watcher saw them: checks from ${escapeHtml(oldest)} to ${escapeHtml(newest)} UTC. Times below are UTC; <code>/status &lt;instance&gt;</code> asks GREEN-API now.</i>`,
      neverChecked:
        "<i>The state watcher has not checked any of them yet. <code>/status &lt;instance&gt;</code> asks GREEN-API now.</i>",
      watcherOff:
        "<i>The state watcher is off (STATE_POLL_INTERVAL_MS=0), so these states are not kept up to date.</i>",
      page: (page: number, pages: number) => `Page ${page} of ${pages}:`,
      since: (time: string) => ` · since ${escapeHtml(time)}`,
      muted: (until: string) => `🔕 muted until ${escapeHtml(until)}`,
      quota: (at: string) => `📉 quota exceeded ${escapeHtml(at)}`,
      /** 7-day uptime, before the state (README: "/status … 7-day uptime"). */
      uptime: (percent: string) => `${percent} `,
      previous: "◀",
      next: "▶",
      pageAnswer: (page: number, pages: number) => `Page ${page} of ${pages}`,
      stale: "This page is out of date: send /status again.",
    },
  },
  states: {
    authorized: "✅ authorized",
    notAuthorized: "⚠️ not authorized: needs a QR scan or a pairing code",
    starting: "⏳ starting (up to 5 min)",
    blocked: "⛔ blocked by WhatsApp",
    sleepMode: "😴 sleep mode: the phone is offline",
    yellowCard: "🟨 yellow card: sending suspended for spam, reboot needed",
    suspended: "⏸ suspended: WhatsApp restricted sending for a while (not a payment problem)",
  } as Record<string, string>,
  /** /status <instance> for a state GREEN-API does not document: its value, as sent. */
  unknownState: (state: string) =>
    `❓ unknown state «${escapeHtml(state)}» (not in GREEN-API's docs)`,
  confirm: {
    logout: (instance: string) =>
      `🚪 Log out ${b(instance)}? WhatsApp on it stops until someone links it again (/qr or /code).`,
    reboot: (instance: string) => `🔁 Reboot ${b(instance)}? It is unavailable for a few minutes.`,
    yesLogout: "✅ Yes, log out",
    yesReboot: "✅ Yes, reboot",
    no: "↩️ No",
    expired: "⌛ This confirmation expired (60 s). Send the command again.",
    kept: (instance: string) => `↩️ Nothing changed on ${b(instance)}.`,
    working: (instance: string) => `⏳ Working on ${b(instance)}…`,
    loggedOut: (instance: string) =>
      `🚪 ${b(instance)} is logged out. Link it again with /qr or /code.`,
    rebooted: (instance: string) =>
      `🔁 ${b(instance)} is rebooting. Check /status in a few minutes.`,
    failed: (instance: string, reason: string) => `❌ ${b(instance)}: ${escapeHtml(reason)}`,
    usage: (command: string) => `Usage: <code>/${command} &lt;instance&gt;</code>`,
  },
};
