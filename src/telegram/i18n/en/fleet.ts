import { bold as b, code, codeList } from "../html.js";

/** Names listed in one line before "…": an announcement stays short at fleet scale. */
const LISTED = 20;
const names = (list: readonly string[]) =>
  list.length > LISTED
    ? `${codeList(list.slice(0, LISTED))} … (+${list.length - LISTED})`
    : codeList(list);

/** The partner account's news and the /instances list (admins). */
export const fleet = {
  changes: (added: readonly string[], removed: readonly string[]) =>
    [
      added.length > 0 &&
        `🆕 ${b(`${added.length} new instance${added.length === 1 ? "" : "s"}`)} in the GREEN-API account: ${names(added)}`,
      removed.length > 0 &&
        `🗑 ${b(`${removed.length} removed`)} (deleted, or no longer WhatsApp): ${names(removed)}`,
    ]
      .filter((line) => line !== false)
      .join("\n"),
  expiryTitle: (count: number) =>
    `💳 ${b(`Paid period ending: ${count} instance${count === 1 ? "" : "s"}`)}`,
  expiry: {
    "3d": (instance: string, date: string) => `${b(instance)} — ends in 3 days (${date})`,
    "1d": (instance: string, date: string) => `${b(instance)} — ends within a day (${date})`,
    ended: (instance: string, date: string) =>
      `${b(instance)} — has ended${date ? ` (${date})` : ""}: it stops working until paid`,
  },
  expiryTodo: "Renew them in the GREEN-API console.",
  offTeam: {
    title: `👤 ${b("The instances file lists people who are on no team list")}`,
    line: (instance: string, userId: number) => `${b(instance)} — ${code(String(userId))}`,
    todo: "They get no access to these instances. Add each id to ADMIN_IDS, OPERATOR_IDS or VIEWER_IDS, or remove it from the instances file.",
  },
  list: {
    title: (count: number, fromAccount: number) =>
      `📒 ${b(`${count} instance${count === 1 ? "" : "s"}`)}${fromAccount > 0 ? ` (${fromAccount} from the GREEN-API account)` : ""}`,
    line: (name: string, id: string, source: "file" | "account", expires?: string) =>
      `${code(name)} · ${id} · ${source === "file" ? "instances file" : "account"}${expires ? ` · paid until ${expires}` : ""}`,
    more: (count: number) => `… and ${count} more`,
    none: "📒 No instances known yet.",
  },
  /** /status: the date a paid period ends, when the account says. */
  paidUntil: (date: string) => `💳 paid until ${date}`,
};
