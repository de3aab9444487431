import { bold as b, code, quoteInput } from "../html.js";

/** One line of /audit, as the feature hands it over: the time already formatted in UTC. */
export interface AuditLine {
  time: string;
  action: string;
  instance: string;
  result: string;
  userId: number;
  chatId: number;
}

export const audit = {
  title: (count: number) => `🧾 ${b(`Last ${count} actions`)} (UTC, newest first)`,
  empty: "🧾 No operator actions recorded yet.",
  line: (entry: AuditLine) =>
    `${code(entry.time)} ${b(entry.action)} ${b(entry.instance)} → ${quoteInput(entry.result, 60)} · user ${entry.userId} · chat ${entry.chatId}`,
};
