import { bold as b, codeList, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

/** Минуты, часы и дни, как человек читает длительность сбоя. */
function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return "меньше минуты";
  if (minutes < 60) return `${minutes} мин`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} ч ${minutes % 60} мин` : `${hours} ч`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} д ${hours % 24} ч` : `${days} д`;
}

const states: Texts["alerts"]["states"] = {
  notAuthorized: {
    name: "вышел из аккаунта",
    todo: "Вышел из аккаунта: нажмите QR и отсканируйте его в WhatsApp → Связанные устройства или используйте код привязки.",
  },
  blocked: {
    name: "заблокирован WhatsApp",
    todo: "Заблокирован: WhatsApp заблокировал номер. Обжалуйте в приложении WhatsApp; новый QR до этого не поможет.",
  },
  yellowCard: {
    name: "отправка приостановлена (спам)",
    todo: "Отправка приостановлена: WhatsApp заподозрил спам. Перезагрузите инстанс (консоль GREEN-API или /reboot) и отправляйте реже.",
  },
  sleepMode: {
    name: "телефон не в сети",
    todo: "Телефон не в сети: включите телефон, подключите к интернету и откройте WhatsApp.",
  },
  starting: {
    name: "завис при запуске",
    todo: "Запускается дольше 5 минут: перезагрузите его; если не поможет, выйдите и привяжите заново.",
  },
  suspended: {
    name: "приостановлен",
    todo: "Приостановлен: проверьте тариф и оплату в консоли GREEN-API.",
  },
  authorized: { name: "авторизован", todo: "" },
};

export const alerts: Texts["alerts"] = {
  duration,
  states,
  clockLocale: "ru-RU",
  header: {
    atStart: "🔎 greenlight запущен и обнаружил:",
    attention: (open) => `🔴 Требуют внимания: ${open}`,
    allRecovered: "✅ Всё восстановилось",
  },
  down: (instance, state, since) =>
    `🔴 ${b(instance)}: ${states[state].name} с ${escapeHtml(since)}`,
  recovered: (instance, afterMs) => `✅ ${b(instance)} восстановился через ${duration(afterMs)}`,
  unreachable: (instance, since) =>
    `📡 GREEN-API не отвечает для ${b(instance)} с ${escapeHtml(since)}`,
  reachable: (instance, afterMs) =>
    `✅ GREEN-API снова отвечает для ${b(instance)} (через ${duration(afterMs)})`,
  unreachableTodo:
    "GREEN-API несколько раз подряд не ответил (таймауты или ошибки сервера). Инстанс может работать; greenlight продолжает проверять.",
  more: (count) => `…и ещё ${count}`,
  buttons: {
    qr: "📱 QR",
    code: "🔢 Код привязки",
    qrFor: (instance) => `📱 QR ${instance}`,
    codeFor: (instance) => `🔢 Код ${instance}`,
  },
  mute: {
    usage: (names) =>
      [
        "Как пользоваться: <code>/mute &lt;инстанс&gt; &lt;срок&gt;</code>, например <code>/mute shop 2h</code> (m, h, d; до 7d)",
        `Инстансы: ${codeList(names)}`,
      ].join("\n"),
    badDuration: (input) =>
      `«${escapeHtml(input)}» — не срок: укажите, например, 30m, 2h или 1d (до 7d).`,
    muted: (instance, forMs, until) =>
      `🔕 Оповещения о ${b(instance)} отключены на ${duration(forMs)} (до ${escapeHtml(until)}). /unmute ${escapeHtml(instance)} — включить раньше.`,
    unmuteUsage: (names) =>
      `Как пользоваться: <code>/unmute &lt;инстанс&gt;</code>\nИнстансы: ${codeList(names)}`,
    unmuted: (instance) => `🔔 Оповещения о ${b(instance)} снова включены.`,
    notMuted: (instance) => `🔔 Оповещения о ${b(instance)} и не были отключены.`,
  },
};
