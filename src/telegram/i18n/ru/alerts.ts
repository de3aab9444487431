import { bold as b, codeList, escapeHtml } from "../html.js";
import { isKnownState, type StateInstance } from "../../../status/ports.js";
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
    name: "отправка временно ограничена",
    todo: "Ограничен: WhatsApp временно ограничил отправку с этого номера (частичный бан, а не проблема с оплатой). Дождитесь окончания: GREEN-API сообщает время окончания в поле suspendedUntil (GetAccountSettings).",
  },
  authorized: { name: "авторизован", todo: "" },
};

/** Состояние, которого нет в документации GREEN-API: его значение как есть. */
const unknownState = (state: string) => ({
  name: `неизвестное состояние «${escapeHtml(state)}»`,
  todo: `Неизвестное состояние: GREEN-API ответил «${escapeHtml(state)}», такого значения нет в его документации. Проверьте инстанс в консоли GREEN-API.`,
});

const wordsOf = (state: StateInstance) =>
  isKnownState(state) ? states[state] : unknownState(state);

export const alerts: Texts["alerts"] = {
  duration,
  states,
  wordsOf,
  clockLocale: "ru-RU",
  header: {
    atStart: "🔎 greenlight запущен и обнаружил:",
    attention: (open) => `🔴 Требуют внимания: ${open}`,
    allRecovered: "✅ Всё восстановилось",
  },
  down: (instance, state, since) =>
    `🔴 ${b(instance)}: ${wordsOf(state).name} с ${escapeHtml(since)}`,
  recovered: (instance, afterMs) => `✅ ${b(instance)} восстановился через ${duration(afterMs)}`,
  unreachable: (instance, since) =>
    `📡 GREEN-API не отвечает для ${b(instance)} с ${escapeHtml(since)}`,
  reachable: (instance, afterMs) =>
    `✅ GREEN-API снова отвечает для ${b(instance)} (через ${duration(afterMs)})`,
  stuck: (instance, queued, waitedMs) =>
    `📤 ${b(instance)} в статусе authorized, но сообщений в очереди: ${queued}, ждут уже ${duration(waitedMs)}`,
  moving: (instance, afterMs) =>
    `✅ Очередь ${b(instance)} снова движется (через ${duration(afterMs)})`,
  stuckTodo:
    "Инстанс авторизован, но очередь отправки GREEN-API стоит: нажмите «Перезагрузить». Если не поможет, откройте WhatsApp на телефоне и проверьте связь. GREEN-API хранит очередь 24 ч.",
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
  offline: (instance, forMs, lastSeen) =>
    `📵 С телефона ${b(instance)} не отправлено ни одного сообщения уже ${duration(forMs)} (последнее, что видел greenlight: ${escapeHtml(lastSeen)}). WhatsApp отвязывает инстанс, если телефон не в сети около 14 дней. Если телефон выключен или без интернета, включите его и откройте WhatsApp; если им просто не пользуются, открывайте на нём WhatsApp время от времени.`,
  closure: {
    by: (name, at) => `👤 Привязал(а) ${escapeHtml(name)} в ${escapeHtml(at)}.`,
    byLink: (name, at) =>
      `👤 Привязано по ссылке, которую отправил(а) ${escapeHtml(name)}, в ${escapeHtml(at)}.`,
    queued: (count) =>
      `📤 Сообщений в очереди GREEN-API, накопившихся за простой: ${count}; они уходят сейчас. GREEN-API хранит очередь 24 ч.`,
    none: "📭 В очереди GREEN-API не было сообщений.",
  },
  claim: {
    yours: (instance) => `👤 ${instance} за вами: все, кто читает оповещение, это видят.`,
    taken: (by) => `👤 Этим уже занимается ${by}.`,
    nothing: (instance) => `У ${instance} нет открытого сбоя.`,
  },
  yellowCardLink: "https://green-api.com/docs/faq/yellowCard/",
  buttons: {
    qr: "📷 QR",
    code: "🔑 Код привязки",
    qrFor: (instance) => `📷 QR ${instance}`,
    codeFor: (instance) => `🔑 Код ${instance}`,
    codeTo: (phone) => `🔑 Код на ${phone}`,
    codeToFor: (instance, phone) => `🔑 ${instance}: код на ${phone}`,
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
