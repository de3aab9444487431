import { bold as b, code, quoteInput } from "../html.js";
import type { Texts } from "../texts.js";

export const audit: Texts["audit"] = {
  title: (count) => `🧾 ${b("Последние действия")}: ${count} (время UTC, новые сверху)`,
  empty: "🧾 Действий операторов пока нет.",
  line: (entry) =>
    `${code(entry.time)} ${b(entry.action)} ${b(entry.instance)} → ${quoteInput(entry.result, 60)} · пользователь ${entry.userId} · чат ${entry.chatId}`,
};
