import { bold as b, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

export const webhook: Texts["webhook"] = {
  usage:
    "Как пользоваться: <code>/webhook &lt;инстанс&gt;</code> (настройка), <code>/webhook &lt;инстанс&gt; on</code> или <code>off</code>",
  notConfigured: (missing) =>
    `🔧 Для /webhook нужен вебхук GREEN-API в greenlight: задайте ${escapeHtml(missing)} (README, «The GREEN-API webhook») и перезапустите.`,
  title: (instance) => `🪝 ${b(instance)}: вебхук GREEN-API`,
  now: {
    greenlight: "Сейчас: → greenlight ✅",
    app: (url) => `Сейчас: → ${escapeHtml(url)} (не greenlight)`,
    none: "Сейчас: URL вебхука не задан (приложение может получать уведомления через ReceiveNotification)",
    unreadable: (reason) => `Сейчас: не удалось прочитать настройки: ${escapeHtml(reason)}`,
    stateWebhook: (value) => `stateWebhook: ${escapeHtml(value)}`,
  },
  switched: (at, userId) => `Переключён ${escapeHtml(at)} UTC пользователем ${userId}.`,
  forwardTo: (url) => `Куда пересылать (что было): ${escapeHtml(url)}`,
  noForward: "URL вебхука не было: пересылать некуда.",
  stateTurnedOn: "greenlight включил stateWebhook; /webhook off выключит его обратно.",
  tookEffect: (at) => `✅ Действует с ${escapeHtml(at)} UTC (первое уведомление через greenlight).`,
  notYet:
    "⏳ Ещё не действует: после переключения через greenlight не пришло ни одного уведомления. GREEN-API применяет настройки в течение 5 минут.",
  backlog: (count, size, oldest) =>
    `Очередь пересылки: уведомлений ${count}, ${escapeHtml(size)}${oldest ? `, самое старое от ${escapeHtml(oldest)} UTC` : ""}.`,
  failingSince: (at) => `⚠️ Приложение не принимает уведомления с ${escapeHtml(at)} UTC.`,
  deadLettered: (count) => `☠️ Отложено без доставки: ${count}.`,
  notSwitched: (instance) =>
    `greenlight его не переключал. <code>/webhook ${escapeHtml(instance)} on</code> ставит greenlight перед приложением.`,
  confirmOn: (instance, forward, turnsStateOn) =>
    [
      `🪝 Направить вебхук GREEN-API инстанса ${b(instance)} на greenlight?`,
      forward
        ? `Уведомления будут приходить в greenlight, а он перешлёт их туда, куда они идут сейчас: ${escapeHtml(forward)}.`
        : "Сейчас URL вебхука не задан.",
      turnsStateOn
        ? "stateWebhook выключен: greenlight включит его (он нужен для оповещений); /webhook off выключит обратно."
        : "Остальные переключатели уведомлений останутся как есть.",
      "⚠️ setSettings перезагружает инстанс, новые настройки GREEN-API применяет в течение 5 минут.",
    ].join("\n"),
  confirmPolling: (instance) =>
    [
      `⚠️ У ${b(instance)} не задан URL вебхука. Приложение, которое получает уведомления опросом (ReceiveNotification / DeleteNotification), требует пустой URL и перестанет их получать, когда вебхук будет направлен на greenlight.`,
      "Всё равно направить на greenlight? Только если этот инстанс никто не опрашивает.",
    ].join("\n"),
  secondQuestion: (instance) => `⚠️ У ${b(instance)} не задан URL вебхука: ещё один вопрос ниже.`,
  confirmOff: (instance, url) =>
    [
      `🪝 Вернуть вебхук ${b(instance)} к тому, что было${url ? `: ${escapeHtml(url)}` : ": без URL"}?`,
      "⚠️ setSettings перезагружает инстанс, настройки GREEN-API применяет в течение 5 минут.",
    ].join("\n"),
  yesOn: "✅ Да, направить на greenlight",
  yesSure: "✅ Да, его никто не опрашивает",
  yesOff: "✅ Да, вернуть",
  no: "↩️ Нет",
  kept: (instance) => `↩️ На ${b(instance)} ничего не изменилось.`,
  working: (instance) => `⏳ Меняю настройки ${b(instance)}…`,
  privateTarget: (instance, url) =>
    `🛑 Приложение ${b(instance)} на частном адресе (${escapeHtml(url)}): greenlight пересылает только на публичные, и после переключения вебхука на greenlight приложение перестало бы получать уведомления. Ничего не изменено. Если этот хост нужен, оператор указывает его в FORWARD_PRIVATE_HOSTS и перезапускает greenlight.`,
  alreadyOn: (instance) => `🪝 Вебхук ${b(instance)} уже направлен на greenlight.`,
  notOn: (instance) => `🪝 greenlight не переключал вебхук ${b(instance)}: возвращать нечего.`,
  changedSince: (instance) =>
    `🪝 Вебхук ${b(instance)} теперь направлен не на greenlight и не туда, куда раньше: его кто-то изменил. greenlight оставляет его как есть и хранит прежние настройки; задайте его в консоли GREEN-API.`,
  switchedOn: (instance, forward, stateOn) =>
    [
      `🪝 ${b(instance)} теперь направлен на greenlight${forward ? `, который пересылает на ${escapeHtml(forward)}` : ""}.`,
      stateOn ? "stateWebhook включён." : "",
      `Инстанс перезагружается; настройки применятся в течение 5 минут: <code>/webhook ${escapeHtml(instance)}</code> покажет когда.`,
    ]
      .filter(Boolean)
      .join("\n"),
  restored: (instance, url, state) =>
    [
      `🪝 Вебхук ${b(instance)} возвращён: ${url ? escapeHtml(url) : "без URL"}${state ? `, stateWebhook ${escapeHtml(state)}` : ""}.`,
      "Инстанс перезагружается; настройки применятся в течение 5 минут.",
    ].join("\n"),
  failed: (instance, reason, mayHaveApplied) =>
    [
      `❌ ${b(instance)}: ${escapeHtml(reason)}`,
      mayHaveApplied
        ? "GREEN-API мог всё же сохранить настройки: проверьте /webhook через 5 минут; прежние настройки сохранены, /webhook off их вернёт."
        : "Ничего не изменилось.",
    ].join("\n"),
};
