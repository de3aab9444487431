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
    todo: "Заблокирован: WhatsApp заблокировал номер. Кнопкой здесь это не исправить: обжалуйте в приложении WhatsApp (Настройки → Помощь → Связаться с нами); новый QR не поможет, пока WhatsApp не снимет блокировку.",
  },
  yellowCard: {
    name: "отправка приостановлена (спам)",
    todo: "Отправка приостановлена: WhatsApp заподозрил спам, сообщения ждут в очереди GREEN-API (24 ч). Совет GREEN-API: перезагрузите инстанс, затем отправляйте реже и тем, кто написал первым.",
  },
  sleepMode: {
    name: "телефон не в сети",
    todo: "Телефон не в сети: включите телефон, подключите к интернету и откройте WhatsApp. QR не нужен: инстанс вернётся сам примерно за 5 минут.",
  },
  starting: {
    name: "завис при запуске",
    todo: "Завис на запуске: GREEN-API советует перезагрузить его и проверить снова через пару минут; если не поможет, напишите в поддержку GREEN-API.",
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
  linked: (instance, by, at, downMs) =>
    `✅ ${b(instance)} привязал(а) ${escapeHtml(by)} в ${escapeHtml(at)} (простой ${duration(downMs)})`,
  autoRebooted: (at) =>
    `   🔁 Завис на запуске: greenlight перезагрузил его в ${escapeHtml(at)} (AUTO_REBOOT_STARTING). GREEN-API: проверьте снова через пару минут.`,
  autoRebootFailed: (at) =>
    `   🔁 greenlight пытался перезагрузить его в ${escapeHtml(at)} (AUTO_REBOOT_STARTING), но GREEN-API отказал: перезагрузите вручную.`,
  claimed: (by) => `   👤 ${escapeHtml(by)} занимается этим`,
  offline: (instance, forMs) =>
    `😴 Телефон ${b(instance)} не в сети уже ${duration(forMs)}: через 14 дней WhatsApp выходит из аккаунта. Верните телефон в сеть (питание, интернет, откройте WhatsApp).`,
  closure: {
    by: (name, at) => `👤 Привязал(а) ${escapeHtml(name)} в ${escapeHtml(at)}.`,
    byLink: (name, at) =>
      `👤 Привязано по ссылке, которую отправил(а) ${escapeHtml(name)}, в ${escapeHtml(at)}.`,
    queued: (count, oldestMs) =>
      `📤 Сообщений в очереди GREEN-API, накопившихся за простой: ${count}; они уходят сейчас${oldestMs === undefined ? "" : ` (самое старое ждало ${duration(oldestMs)})`}. GREEN-API хранит очередь 24 ч.`,
    none: "📭 В очереди GREEN-API не было сообщений.",
  },
  claim: {
    yours: (instance) => `👤 ${instance} за вами: все, кто читает оповещение, это видят.`,
    taken: (by) => `👤 Этим уже занимается ${by}.`,
    nothing: (instance) => `У ${instance} нет открытого сбоя.`,
  },
  yellowCardLink: "https://green-api.com/docs/faq/yellowCard/",
  buttons: {
    qr: "📱 QR",
    code: "🔢 Код привязки",
    qrFor: (instance) => `📱 QR ${instance}`,
    codeFor: (instance) => `🔢 Код ${instance}`,
    codeTo: (phone) => `🔢 Код на ${phone}`,
    codeToFor: (instance, phone) => `🔢 ${instance}: код на ${phone}`,
    anotherNumber: "📞 Другой номер",
    reboot: "🔁 Перезагрузить",
    rebootFor: (instance) => `🔁 Перезагрузить ${instance}`,
    yellowCard: "ℹ️ Что такое yellowCard?",
    claim: "🙋 Я занимаюсь",
    claimFor: (instance) => `🙋 Я займусь ${instance}`,
    showAll: "📜 Показать все",
    previous: "◀",
    next: "▶",
  },
  pager: {
    title: (page, pages, count) =>
      `📜 Все инстансы этого оповещения (${count}), страница ${page} из ${pages}`,
    empty: "Ни один инстанс этого оповещения вам не виден.",
    gone: "Это оповещение слишком старое, чтобы его листать.",
    page: (page, pages) => `Страница ${page} из ${pages}`,
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
