import { bold as b, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

const fixWords: Record<"qr" | "code" | "link" | "reboot" | "self", string> = {
  qr: "QR",
  code: "код привязки",
  link: "страница привязки",
  reboot: "перезагрузка",
  self: "сам",
};

export const history: Texts["history"] = {
  title: (instance) => `📈 ${b(`История ${instance}`)}`,
  uptime: (day, week, month) => `Доступность: 24 ч ${b(day)} · 7 д ${b(week)} · 30 д ${b(month)}`,
  noFigure: "—",
  meanTimeToFix: (duration) =>
    `Среднее время починки: ${duration === undefined ? "—" : b(duration)}`,
  longest: (duration, date, open) =>
    `Самый долгий сбой: ${b(duration)} (${date}${open ? ", ещё идёт" : ""})`,
  downNow: (cause, since, duration) =>
    `🔴 Сейчас не работает: ${escapeHtml(cause)} с ${since} UTC (${duration})`,
  none: "Сбоев не записано.",
  incidents: (from, to, total) => `Сбои ${from}–${to} из ${total} (новые сверху, UTC):`,
  line: (l) =>
    [
      `• ${l.start} → ${l.end} (${b(l.duration)}) ${escapeHtml(l.cause)}`,
      l.fix === "self" || !l.fixedBy
        ? `починка: ${fixWords[l.fix]}`
        : `починил(а) ${escapeHtml(l.fixedBy)} (${fixWords[l.fix]})`,
      l.claimedBy && `взял(а) ${escapeHtml(l.claimedBy)}`,
      l.escalated && "эскалирован",
    ]
      .filter(Boolean)
      .join(" · "),
  unreachable: "GREEN-API не отвечал",
  gaps: "Доступность считается только за время, когда greenlight следил: его собственные перерывы не учитываются.",
  fleetTitle: (count, page, pages) =>
    `📈 ${b("Доступность, худшие сверху")} · инстансов: ${count}${pages > 1 ? ` · страница ${page} из ${pages}` : ""}`,
  fleetLine: (r) =>
    `${r.down ? "🔴" : "🟢"} ${b(r.instance)} 7 д ${r.week} · 30 д ${r.month} · сбоев: ${r.outages}${r.meanTimeToFix ? ` · починка ${r.meanTimeToFix}` : ""}`,
  fleetHint: "<code>/history shop</code> — сбои одного инстанса.",
  usage:
    "Использование: <code>/history</code> (все инстансы), <code>/history shop</code>, <code>/history shop csv</code> (админы: CSV-файл в личный чат).",
  csvCaption: (instance, count) => `📄 ${b(instance)}: сбоев ${count} (UTC).`,
  csvSent: (instance) => `📄 CSV для ${b(instance)} отправлен вам в личный чат.`,
  csvNoPrivateChat:
    "Я пока не могу написать вам лично: откройте личный чат со мной, нажмите Start и попросите снова.",
  page: (page, pages) => `Страница ${page} из ${pages}`,
  buttons: { older: "◀ Старее", newer: "Новее ▶", previous: "◀", next: "▶" },
};
