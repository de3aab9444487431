import { bold as b, codeList, escapeHtml } from "../html.js";

/** /link: a link page for whoever holds the phone (README "Link without the team"). */
export const link = {
  usage: (names: readonly string[]) =>
    `Usage: <code>/link &lt;instance&gt;</code> — a web page with the live QR, for whoever holds the phone.\nInstances: ${codeList(names)}`,
  notConfigured:
    "🔗 /link needs greenlight's web page: set PUBLIC_URL (its public https address) and HTTP_PORT.",
  limit: (instance: string, max: number) =>
    `⛔ ${b(instance)} already has ${max} live links. Revoke one (⛔ on its message) or let one expire.`,
  live: (instance: string, url: string, until: string) =>
    [
      `🔗 Link for ${b(instance)}, for whoever holds its phone:`,
      escapeHtml(url),
      `Valid until ${escapeHtml(until)}. Whoever opens it can link ${b(instance)}: send it only to the phone's owner.`,
    ].join("\n"),
  dead: (instance: string) => `🔗 The link for ${b(instance)} is no longer valid.`,
  opened: (at: string, on: string) => `👀 Opened at ${escapeHtml(at)} (${escapeHtml(on)}).`,
  codeRequested: (at: string) => `🔢 A pairing code was requested at ${escapeHtml(at)}.`,
  linked: (instance: string, as: string | undefined, at: string) =>
    `✅ ${b(instance)} linked through the link${as ? `, as ${escapeHtml(as)}` : ""}, ${escapeHtml(at)}.`,
  revoked: (at: string) => `⛔ Revoked at ${escapeHtml(at)}.`,
  expired: "⌛ Expired.",
  shareText: (instance: string) => `Open this to link WhatsApp (${instance}) to greenlight`,
  buttons: { share: "🔗 Share", revoke: "⛔ Revoke", newLink: "🔄 New link" },
  callbacks: {
    revoked: "Revoked.",
    notLive: "This link is no longer live.",
  },
};
