import { formatMinutesSeconds } from "../../../shared/time-format.js";
import { bold as b, escapeHtml } from "../html.js";

export const qr = {
  buttons: {
    cancel: "✖️ Cancel",
    fullScreen: "🔍 Full screen",
    newQr: "📷 New QR",
    logoutAndQr: "🚪 Log out & new QR",
    logout: "🚪 Log out",
    confirmLogout: "✅ Yes, log out",
    keep: "↩️ No",
  },
  callbacks: {
    sessionEnded: "This QR session has already ended.",
    cancelling: "Cancelling…",
    cancelled: "Cancelled.",
    confirmLogout: "Confirm: log out, then scan a new QR.",
    loggingOut: "Logging out…",
    starting: "Starting a new QR session…",
  },
  waitingCaption: (instance: string) => `⏳ ${b(instance)}: asking GREEN-API for a QR code…`,
  unansweredCaption: (instance: string) =>
    `⚠️ ${b(instance)}: GREEN-API is not answering. Still trying; the QR appears here when it answers.`,
  queuedCaption: (instance: string, place: number, capacity: number) =>
    [
      `🕒 ${b(instance)} is waiting its turn${place === 0 ? " in line" : place === 1 ? ": next in line" : `: number ${place} in line`}.`,
      `Telegram lets one bot keep about ${capacity} live QR codes fresh, and that many are on screen now.`,
      "The QR appears here as soon as one of them ends; its timer starts then.",
    ].join("\n"),
  chatQueuedCaption: (instance: string, place: number, capacity: number) =>
    [
      `🕒 ${b(instance)} is waiting its turn in this chat${place === 1 ? ": next in line" : `: number ${place} in line`}.`,
      `Telegram lets a bot send about 20 messages a minute in a group, enough to keep ${capacity} live QR codes fresh, and that many are on screen here now.`,
      "The QR appears here as soon as one of them ends; its timer starts then. In a private chat with me there is no such wait.",
    ].join("\n"),
  movedAway: (instance: string) => `↪️ The QR session for ${b(instance)} moved to a newer message.`,
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
  ends: {
    authorized: (instance: string, phone?: string) =>
      `✅ ${b(instance)} is authorized${phone ? ` as ${escapeHtml(phone)}` : ""}.`,
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
};
