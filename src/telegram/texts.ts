import { formatMinutesSeconds } from "../shared/time.js";

/**
 * Every word greenlight says in chat, in one place. Captions are HTML (parse_mode "HTML"): every
 * value from outside goes through `escapeHtml`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** What we echo of a user's input: short, one line, safe. */
export function quoteInput(text: string, max = 32): string {
  // Control and format characters (bidi overrides, zero-width) would garble the reply.
  const oneLine = text.replace(/[\p{Cc}\p{Cf}]/gu, " ").trim();
  const short = oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
  return escapeHtml(short);
}

const b = (text: string) => `<b>${escapeHtml(text)}</b>`;

export const texts = {
  usage: {
    qr: (names: string[]) =>
      `Usage: <code>/qr &lt;instance&gt;</code>\nInstances: ${names.map((n) => `<code>${escapeHtml(n)}</code>`).join(", ")}`,
  },
  unknownInstance: (input: string, names: string[]) =>
    `Unknown instance “${quoteInput(input)}”. Known: ${names.map((n) => `<code>${escapeHtml(n)}</code>`).join(", ")}`,
  temporarilyUnavailable: "⚠️ greenlight is temporarily unavailable, try again in a moment.",

  buttons: {
    cancel: "✖️ Cancel",
    newQr: "🔄 New QR",
    logoutAndQr: "🚪 Log out & new QR",
    logout: "🚪 Log out",
    confirmLogout: "✅ Yes, log out",
    keep: "↩️ No",
  },

  callbacks: {
    notAllowed: "Not allowed.",
    stale: "This button is no longer valid.",
    sessionEnded: "This QR session has already ended.",
    cancelling: "Cancelling…",
    confirmLogout: "Confirm: log out, then scan a new QR.",
    loggingOut: "Logging out…",
    starting: "Starting a new QR session…",
  },

  qrSession: {
    waitingCaption: (instance: string) => `⏳ ${b(instance)}: asking GREEN-API for a QR code…`,
    movedHere: (instance: string) =>
      `↪️ The QR session for ${b(instance)} was already running: it now continues in this message.`,
    movedAway: (instance: string) =>
      `↪️ The QR session for ${b(instance)} moved to a newer message.`,
    qrCaption: (instance: string, remainingMs: number) =>
      [
        `📱 Scan to link ${b(instance)}`,
        "WhatsApp → Settings → Linked devices → Link a device",
        `The code refreshes here by itself. ⏱ ${formatMinutesSeconds(remainingMs)} left`,
      ].join("\n"),
    confirmLogout: (instance: string) =>
      `🚪 Log out ${b(instance)}? WhatsApp on it stops until someone scans a new QR.`,
    loggingOut: (instance: string) => `⏳ Logging out ${b(instance)}…`,
    logoutKept: (instance: string) =>
      `${b(instance)} was not logged out. Log out when you are ready to scan a new QR.`,
    logoutFailed: (instance: string, reason: string) =>
      `❌ Could not log out ${b(instance)}: ${escapeHtml(reason)}`,
  },

  ends: {
    authorized: (instance: string, phone?: string) =>
      `✅ ${b(instance)} is authorized${phone ? ` as +${escapeHtml(phone)}` : ""}.`,
    alreadyAuthorized: (instance: string) =>
      `✅ ${b(instance)} is already authorized: there is no QR to scan.\nTo link another phone, log out first.`,
    needsLogout: (instance: string) =>
      [
        `⚠️ ${b(instance)} still holds an old WhatsApp login that no longer works, so GREEN-API will not show a QR.`,
        "Log out to clear it, then scan the new QR.",
      ].join("\n"),
    credentialsRejected: (instance: string) =>
      `⛔ GREEN-API rejected the credentials of ${b(instance)} (check idInstance / apiTokenInstance in the instances file).`,
    expired: (instance: string, minutes: number) =>
      `⌛ QR expired: ${b(instance)} was not linked within ${minutes} min.`,
    cancelled: (instance: string) => `✖️ QR session for ${b(instance)} cancelled.`,
    failed: (instance: string) =>
      `❌ The QR session for ${b(instance)} stopped on an internal error. Try /qr again.`,
  },

  /** Drawn into images: Latin only, jimp's fonts have no Cyrillic. */
  cards: {
    waiting: (instance: string) => ({
      title: `${instance}: getting a QR code`,
      lines: ["One moment..."],
    }),
    moved: (instance: string) => ({
      title: `${instance}: moved`,
      lines: ["See the newer message"],
    }),
    authorized: (instance: string, phone?: string) => ({
      title: `${instance} is authorized`,
      lines: phone ? [`+${phone}`] : [],
    }),
    alreadyAuthorized: (instance: string) => ({
      title: `${instance} is already authorized`,
      lines: [],
    }),
    needsLogout: (instance: string) => ({
      title: `${instance}: log out needed`,
      lines: ["Old login data is unusable"],
    }),
    credentialsRejected: (instance: string) => ({
      title: `${instance}: credentials rejected`,
      lines: ["Check idInstance / apiTokenInstance"],
    }),
    expired: (instance: string) => ({
      title: `${instance}: QR expired`,
      lines: ["Tap New QR to try again"],
    }),
    cancelled: (instance: string) => ({ title: `${instance}: cancelled`, lines: [] }),
    failed: (instance: string) => ({ title: `${instance}: stopped`, lines: ["Internal error"] }),
    loggingOut: (instance: string) => ({
      title: `${instance}: logging out`,
      lines: ["One moment..."],
    }),
  },
} as const;
