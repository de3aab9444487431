import { bold as b, code, quoteInput } from "../html.js";
import type { Texts } from "../texts.js";

export const audit: Texts["audit"] = {
  title: (count) => `🧾 ${b("Последние действия")}: ${count} (новые сверху)`,
  empty: "🧾 Действий операторов пока нет.",
  someone: (userId) => `пользователь ${userId}`,
  line: (entry) =>
    `${code(entry.time)} ${b(entry.action)} ${b(entry.instance)} → ${quoteInput(entry.result, 60)} · ${quoteInput(entry.by, 64)} · ${entry.privateChat ? "личный чат" : `группа ${entry.chatId}`}`,
};
