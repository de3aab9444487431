import { bold as b, codeList, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

export const toolkit: Texts["toolkit"] = {
  commands: {
    qr: "Живой QR-код для привязки инстанса",
    code: "Код привязки (по номеру телефона)",
    link: "Веб-страница с живым QR для владельца телефона",
    status: "Состояние всех инстансов",
    logout: "Выйти из инстанса",
    reboot: "Перезагрузить инстанс",
    mute: "Выключить оповещения инстанса на время",
    unmute: "Снова включить оповещения",
    audit: "Последние 20 действий операторов",
    history: "Сбои, доступность и время починки",
    instances: "Все инстансы, известные greenlight, и откуда они",
    webhook: "Поставить greenlight перед вебхуком инстанса или вернуть как было",
    help: "Что умеет бот",
  },
  help: (names, may) =>
    [
      "🟢 <b>greenlight</b> возвращает разлогиненные инстансы GREEN-API WhatsApp в строй прямо с телефона.",
      "",
      may.operate &&
        "<code>/qr shop</code> — живой QR-код; отсканируйте его в WhatsApp → Связанные устройства → Привязка устройства. Фото обновляется само, пока shop не привязан.",
      may.operate &&
        "<code>/code shop +7 900 123-45-67</code> — код привязки, который вводится на этом телефоне (если нельзя отсканировать свой же экран).",
      may.operate &&
        "<code>/link shop</code> — веб-страница с живым QR (или кодом привязки) для того, у кого телефон, без доступа к боту; ссылка истекает сама.",
      "<code>/status</code> — все инстансы и их состояние; <code>/status shop</code> — подробно об одном.",
      may.administer && "<code>/logout shop</code>, <code>/reboot shop</code> — с подтверждением.",
      may.operate &&
        "<code>/mute shop 2h</code>, <code>/unmute shop</code> — без оповещений на время плановых работ.",
      "<code>/history</code> — доступность всех инстансов, худшие сверху; <code>/history shop</code> — его сбои, кто и как их починил.",
      may.administer && "<code>/audit</code> — последние 20 действий операторов.",
      may.administer &&
        "<code>/instances</code> — все инстансы, известные greenlight: из файла инстансов или из аккаунта GREEN-API.",
      may.administer &&
        "<code>/webhook shop on</code> / <code>off</code> — поставить greenlight перед вебхуком GREEN-API инстанса shop (он пересылает всё приложению) или вернуть как было; <code>/webhook shop</code> — текущая настройка.",
      "",
      "Без имени инстанса команды предложат кнопки.",
      names.length ? `Ваши инстансы: ${codeList(names)}` : "У вас пока нет инстансов.",
    ]
      .filter((line) => line !== false)
      .join("\n"),
  strangerStart: (userId) =>
    [
      "Это закрытый бот для операторов аккаунта GREEN-API.",
      `Ваш Telegram user id: <code>${userId}</code>. Чтобы получить доступ, отправьте его администратору бота: он добавит его в OPERATOR_IDS.`,
    ].join("\n"),
  pick: {
    qr: "📷 QR-код для какого инстанса?",
    logout: "🚪 Из какого инстанса выйти?",
    reboot: "🔁 Какой инстанс перезагрузить?",
  },
  noInstances: "У вас нет инстансов.",
  usage: {
    status: "Как пользоваться: <code>/status</code> или <code>/status &lt;инстанс&gt;</code>",
  },
  status: {
    title: "📋 <b>Инстансы</b>",
    line: (instance, stateLine) => `${b(instance)} — ${stateLine}`,
    unreachable: "❔ недоступен (GREEN-API не ответил)",
    rejected: "⛔ учётные данные отклонены",
    muted: (until) => `🔕 оповещения выключены до ${escapeHtml(until)} UTC`,
    checkedAt: (time) => `<i>Проверено в ${escapeHtml(time)} UTC</i>`,
    phone: (phone) => ` как ${escapeHtml(phone)}`,
    detailTitle: (instance) => `📋 ${b(instance)}`,
    phoneSeen: (at) =>
      `📱 Последнее сообщение с телефона отправлено в ${escapeHtml(at)} UTC (outgoingMessageReceived). Предупреждения за 10 и 13 дней считаются от этого времени.`,
    phoneNotSeen:
      "📱 greenlight не видел, чтобы с этого телефона что-то отправляли: он видит телефон только по вебхукам outgoingMessageReceived (настройка GREEN-API «уведомления о сообщениях, отправленных с телефона», вебхук на greenlight). Опрос показывает состояние инстанса, но не телефон, поэтому заранее предупредить, что WhatsApp отвяжет неиспользуемый телефон, нельзя.",
    ownHost: (host) => `🌐 Запросы идут на ${escapeHtml(host)}`,
    universalHost: (host) =>
      `🌐 Запросы идут на ${escapeHtml(host)} — универсальный хост GREEN-API, который он называет временным: укажите apiUrl этого инстанса из консоли GREEN-API в файле инстансов.`,
    history: "Последние состояния:",
    noHistory: "История состояний недоступна.",
    refresh: "🔄 Обновить",
    qr: (instance) => `📷 QR ${instance}`,
    code: (instance) => `🔑 Код ${instance}`,
    refreshed: "Обновлено.",
    fleet: {
      summary: (total, counts) => [`📋 <b>Инстансов: ${total}</b>`, ...counts].join(" · "),
      counts: {
        authorized: (n) => `✅ ${n} авторизовано`,
        notAuthorized: (n) => `⚠️ ${n} не авторизовано`,
        blocked: (n) => `⛔ ${n} заблокировано`,
        yellowCard: (n) => `🟨 ${n} с жёлтой карточкой`,
        suspended: (n) => `⏸ ${n} с ограничением отправки`,
        sleepMode: (n) => `😴 ${n} в спящем режиме`,
        starting: (n) => `⏳ ${n} запускается`,
        unknown: (n) => `❓ ${n} в неизвестном состоянии`,
        unreachable: (n) => `❔ ${n} недоступно`,
        unchecked: (n) => `🕓 ${n} ещё не проверено`,
      },
      states: {
        authorized: "✅ авторизован",
        notAuthorized: "⚠️ не авторизован",
        blocked: "⛔ заблокирован",
        yellowCard: "🟨 жёлтая карточка",
        suspended: "⏸ отправка ограничена",
        sleepMode: "😴 спящий режим",
        starting: "⏳ запускается",
        unreachable: "❔ недоступен",
        unchecked: "🕓 ещё не проверен",
      },
      unknownState: (state) => `❓ неизвестное состояние «${escapeHtml(state)}»`,
      checked: (oldest, newest) =>
        `<i>По проверкам наблюдателя состояний с ${escapeHtml(oldest)} по ${escapeHtml(newest)} UTC. Время ниже — UTC; <code>/status &lt;инстанс&gt;</code> спрашивает GREEN-API сейчас.</i>`,
      neverChecked:
        "<i>Наблюдатель состояний ещё не проверил ни одного из них. <code>/status &lt;инстанс&gt;</code> спрашивает GREEN-API сейчас.</i>",
      watcherOff:
        "<i>Наблюдатель состояний выключен (STATE_POLL_INTERVAL_MS=0): эти состояния не обновляются.</i>",
      page: (page, pages) => `Страница ${page} из ${pages}:`,
      since: (time) => ` · с ${escapeHtml(time)}`,
      muted: (until) => `🔕 без оповещений до ${escapeHtml(until)}`,
      quota: (at) => `📉 квота исчерпана ${escapeHtml(at)}`,
      uptime: (percent) => `${percent} `,
      previous: "◀",
      next: "▶",
      pageAnswer: (page, pages) => `Страница ${page} из ${pages}`,
      stale: "Эта страница устарела: отправьте /status ещё раз.",
    },
  },
  states: {
    authorized: "✅ авторизован",
    notAuthorized: "⚠️ не авторизован: нужен QR или код привязки",
    starting: "⏳ запускается (до 5 мин)",
    blocked: "⛔ заблокирован WhatsApp",
    sleepMode: "😴 спящий режим: телефон не в сети",
    yellowCard: "🟨 жёлтая карточка: отправка приостановлена за спам, нужна перезагрузка",
    suspended: "⏸ отправка временно ограничена WhatsApp (не проблема с оплатой)",
  },
  unknownState: (state) =>
    `❓ неизвестное состояние «${escapeHtml(state)}» (его нет в документации GREEN-API)`,
  confirm: {
    logout: (instance) =>
      `🚪 Выйти из ${b(instance)}? WhatsApp на нём перестанет работать, пока его снова не привяжут (/qr или /code).`,
    reboot: (instance) => `🔁 Перезагрузить ${b(instance)}? Несколько минут он будет недоступен.`,
    yesLogout: "✅ Да, выйти",
    yesReboot: "✅ Да, перезагрузить",
    no: "↩️ Нет",
    expired: "⌛ Подтверждение истекло (60 с). Отправьте команду ещё раз.",
    kept: (instance) => `↩️ С ${b(instance)} ничего не сделано.`,
    working: (instance) => `⏳ Выполняю для ${b(instance)}…`,
    loggedOut: (instance) =>
      `🚪 Выход из ${b(instance)} выполнен. Привяжите его снова через /qr или /code.`,
    rebooted: (instance) =>
      `🔁 ${b(instance)} перезагружается. Проверьте /status через несколько минут.`,
    failed: (instance, reason) => `❌ ${b(instance)}: ${escapeHtml(reason)}`,
    usage: (command) => `Как пользоваться: <code>/${command} &lt;инстанс&gt;</code>`,
  },
};
