import type { Right, Role } from "../../../access/roles.js";
import { bold as b } from "../html.js";

const roleName: Record<Role, string> = {
  viewer: "a viewer",
  operator: "an operator",
  admin: "an admin",
};
const needs: Record<Right, string> = {
  view: "a viewer",
  operate: "an operator",
  administer: "an admin",
};

/** Who may do what (src/access), secrets sent privately, confirmations, pasted tokens. */
export const access = {
  forbidden: (instance: string, role: Role, right: Right) =>
    `🔒 You are ${roleName[role]} of ${b(instance)}: this needs ${needs[right]}. Ask an admin of this bot.`,
  forbiddenShort: (role: Role, right: Right) =>
    `🔒 Not allowed: you are ${roleName[role]}, this needs ${needs[right]}.`,
  needs: (right: Right) => `🔒 Not allowed: this needs ${needs[right]} of at least one instance.`,
  sentPrivately: (instance: string) =>
    `🔒 The code for ${b(instance)} is a key to its WhatsApp: I sent it to you in a private chat.`,
  startFirst: (instance: string, link: string) =>
    `🔒 The code for ${b(instance)} is a key to its WhatsApp, so it is shown only in a private chat. <a href="${link}">Open a private chat with me</a>, press Start, then ask again.`,
  sentPrivatelyShort: "🔒 Sent to you in a private chat.",
  startFirstShort: "🔒 Open a private chat with me and press Start first.",
  confirm: {
    alreadyDone: "✅ Already done.",
    expired: "⌛ This confirmation expired. Ask again.",
    notYours: (instance: string) => `Only the person who asked can confirm this for ${instance}.`,
  },
  pastedToken: {
    deleted:
      "⚠️ That message contained what looks like a token (a GREEN-API apiTokenInstance or a bot token), so I deleted it. If others saw it, replace it in the GREEN-API console or with @BotFather.",
    notDeleted:
      "⚠️ That message contains what looks like a token (a GREEN-API apiTokenInstance or a bot token). Delete it now (I may not delete messages here), and replace the token if others saw it.",
  },
};
