import { bold as b, code, codeList } from "../html.js";
import type { Texts } from "../texts.js";

const LISTED = 20;
const names = (list: readonly string[]) =>
  list.length > LISTED
    ? `${codeList(list.slice(0, LISTED))} … (+${list.length - LISTED})`
    : codeList(list);

export const fleet: Texts["fleet"] = {
  changes: (added, removed) =>
    [
      added.length > 0 &&
        `🆕 ${b(`Новых инстансов: ${added.length}`)} в аккаунте GREEN-API: ${names(added)}`,
      removed.length > 0 &&
        `🗑 ${b(`Убрано: ${removed.length}`)} (удалены или больше не WhatsApp): ${names(removed)}`,
    ]
      .filter((line) => line !== false)
      .join("\n"),
  expiryTitle: (count) => `💳 ${b(`Заканчивается оплаченный период: ${count}`)}`,
  expiry: {
    "3d": (instance, date) => `${b(instance)} — закончится через 3 дня (${date})`,
    "1d": (instance, date) => `${b(instance)} — закончится в течение суток (${date})`,
    ended: (instance, date) =>
      `${b(instance)} — закончился${date ? ` (${date})` : ""}: инстанс не работает до оплаты`,
  },
  expiryTodo: "Продлите их в консоли GREEN-API.",
  offTeam: {
    title: `👤 ${b("В файле инстансов есть люди, которых нет ни в одном списке команды")}`,
    line: (instance, userId) => `${b(instance)} — ${code(String(userId))}`,
    todo: "У них нет доступа к этим инстансам. Добавьте каждый id в ADMIN_IDS, OPERATOR_IDS или VIEWER_IDS либо уберите его из файла инстансов.",
  },
  list: {
    title: (count, fromAccount) =>
      `📒 ${b(`Инстансов: ${count}`)}${fromAccount > 0 ? ` (из аккаунта GREEN-API: ${fromAccount})` : ""}`,
    line: (name, id, source, expires) =>
      `${code(name)} · ${id} · ${source === "file" ? "файл инстансов" : "аккаунт"}${expires ? ` · оплачен до ${expires}` : ""}`,
    more: (count) => `… и ещё ${count}`,
    none: "📒 Инстансов пока нет.",
  },
  paidUntil: (date) => `💳 оплачен до ${date}`,
};
