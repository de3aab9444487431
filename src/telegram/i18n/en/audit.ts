import { bold as b, code, quoteInput } from "../html.js";

/** One line of /audit, as the feature hands it over: the time formatted, the person named. */
export interface AuditLine {
  time: string;
  action: string;
  instance: string;
  result: string;
  /** Their first name, or `someone(id)` for a person the bot never heard from. */
  by: string;
  /** Done in the person's private chat with the bot; else in the group `chatId`. */
  privateChat: boolean;
  chatId: number;
}

export const audit = {
  title: (count: number) => `🧾 ${b(`Last ${count} actions`)} (newest first)`,
  empty: "🧾 No operator actions recorded yet.",
  someone: (userId: number) => `user ${userId}`,
  line: (entry: AuditLine) =>
    `${code(entry.time)} ${b(entry.action)} ${b(entry.instance)} → ${quoteInput(entry.result, 60)} · ${quoteInput(entry.by, 64)} · ${entry.privateChat ? "private chat" : `group ${entry.chatId}`}`,
};
