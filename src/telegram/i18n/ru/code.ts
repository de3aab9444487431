import { formatMinutesSeconds } from "../../../shared/time-format.js";
import { bold as b, codeList, escapeHtml, quoteInput } from "../html.js";
import { regionName } from "../en/code.js";
import type { Texts } from "../texts.js";

const example = "<code>+7 900 123-45-67</code>";

export const code: Texts["code"] = {
  usage: (names) =>
    [
      "Как пользоваться: <code>/code &lt;инстанс&gt; &lt;телефон&gt;</code>, например <code>/code shop +7 900 123-45-67</code>",
      `Инстансы: ${codeList(names)}`,
    ].join("\n"),
  pick: "🔑 Код привязки для какого инстанса?",
  askPhone: (instance) =>
    `📞 Ответьте на это сообщение номером телефона аккаунта WhatsApp, который нужно привязать к ${b(instance)}, например <code>+7 900 123-45-67</code>.`,
  badPhone: (input, reason, callingCode) => {
    const typed = `«${quoteInput(input)}»`;
    const country = callingCode ? ` для +${escapeHtml(callingCode)}` : "";
    const again = `Пришлите его в международном формате с кодом страны, например ${example}.`;
    switch (reason) {
      case "needs-country":
        return [
          `❓ Из какой страны номер ${typed}? ${again}`,
          "<i>Номера без кода страны понимаются, только если задан DEFAULT_PHONE_COUNTRY.</i>",
        ].join("\n");
      case "unknown-country-code":
        return `${typed} — не номер телефона: такого кода страны нет. ${again}`;
      case "too-short":
        return `${typed} — не номер телефона: слишком короткий${country}. ${again}`;
      case "too-long":
        return `${typed} — не номер телефона: слишком длинный${country}. ${again}`;
      case "invalid":
        return `${typed} — не номер телефона${callingCode ? ` в +${escapeHtml(callingCode)}` : ""}: такого номера там нет. ${again}`;
      case "not-a-number":
        return `${typed} — не номер телефона. ${again}`;
    }
  },
  asGreenApiFormat: (input, phone, country) =>
    [
      `❓ В «${quoteInput(input)}» нет «+». Если читать, как пишет номера GREEN-API (сначала код страны), это ${b(phone)}${country ? ` (${escapeHtml(regionName("ru", country))})` : ""}.`,
      "Нажмите кнопку, чтобы отправить код на этот номер, или пришлите номер ещё раз с «+».",
    ].join("\n"),
  requesting: (instance, phone) =>
    `⏳ Запрашиваю у GREEN-API код привязки для ${b(instance)} (${escapeHtml(phone)})…`,
  issued: (instance, pairingCode, phone, validMs, landline = false) =>
    [
      `🔑 Код привязки для ${b(instance)} (${escapeHtml(phone)}):`,
      ...(landline
        ? [
            `⚠️ ${escapeHtml(phone)} — не мобильный номер. WhatsApp Business может работать и на стационарном; если номер не тот, нажмите «Другой номер».`,
          ]
        : []),
      "",
      `<code>${escapeHtml(pairingCode)}</code>`,
      "",
      "На этом телефоне: WhatsApp → Настройки → Связанные устройства → Привязка устройства → <b>Привязать по номеру телефона</b>, затем введите код.",
      `⏱ Действует около ${formatMinutesSeconds(validMs)} мин. Сообщение изменится, когда ${b(instance)} будет привязан.`,
    ].join("\n"),
  authorized: (instance, phone) =>
    `✅ ${b(instance)} авторизован${phone ? ` как ${escapeHtml(phone)}` : ""}.`,
  expired: (instance) =>
    `⌛ Код привязки для ${b(instance)} истёк и не был использован. Получите новый или отсканируйте QR-код.`,
  notIssued: (instance, seconds) =>
    `🔁 GREEN-API не смог выдать код привязки для ${b(instance)} в этот раз (его ответ: произошла ошибка, попробуйте ещё раз). Нажмите «Новый код»${seconds > 0 ? ` через ${seconds} с` : ""}; выходить из аккаунта не нужно.`,
  cooldown: (instance, seconds) =>
    `⏳ Код для ${b(instance)} только что запрашивали. Частые запросы могут заблокировать инстанс, попробуйте через ${seconds} с.`,
  alreadyAuthorized: (instance, phone, mayLogOut) =>
    [
      `✅ ${b(instance)} уже привязан${phone ? ` к ${escapeHtml(phone)}` : ""}, а GREEN-API выдаёт код привязки только инстансу, из которого вышли.`,
      mayLogOut
        ? "Чтобы привязать другой телефон, сначала выйдите: «Выйти и получить код» попросит подтверждения, затем получит код для того же номера."
        : "Чтобы привязать другой телефон, администратор должен сначала выйти из него (/logout).",
    ].join("\n"),
  needsLogout: (instance, mayLogOut) =>
    [
      `⚠️ ${b(instance)} хранит старый вход в WhatsApp, который больше не работает, поэтому GREEN-API не выдаёт код привязки.`,
      mayLogOut
        ? "Выйдите, чтобы очистить его: «Выйти и получить код» попросит подтвердить, затем получит код на тот же номер."
        : "Сначала администратор должен выйти из аккаунта (/logout); затем запросите код снова.",
    ].join("\n"),
  starting: (instance, mayReboot) =>
    [
      `⏳ ${b(instance)} запускается (или перезагружается), и пока это не закончится, GREEN-API не выдаёт код привязки. Это занимает до 5 минут.`,
      mayReboot
        ? "Подождите несколько минут и нажмите «Новый код»; если ничего не меняется, перезагрузите его."
        : "Подождите несколько минут и нажмите «Новый код»; если ничего не меняется, попросите администратора перезагрузить его.",
    ].join("\n"),
  confirmLogout: (instance, phone) =>
    `🚪 Выйти из ${b(instance)} и получить код привязки для ${escapeHtml(phone)}? WhatsApp на нём перестанет работать, пока код не введут на этом телефоне.`,
  loggingOut: (instance) => `⏳ Выхожу из ${b(instance)}…`,
  logoutKept: (instance) => `↩️ С ${b(instance)} ничего не сделано: он остаётся привязанным.`,
  logoutFailed: (instance, reason) =>
    `❌ Не удалось выйти из ${b(instance)}: ${escapeHtml(reason)}`,
  failed: (instance, reason) =>
    `❌ GREEN-API не выдал код привязки для ${b(instance)}: ${escapeHtml(reason)}`,
  buttons: {
    newCode: "🔑 Новый код",
    sendTo: (phone) => `📲 Отправить код на ${phone}`,
    qrInstead: "📷 Лучше QR",
    anotherNumber: "📞 Другой номер",
    logoutForCode: "🚪 Выйти и получить код",
    confirmLogout: "✅ Да, выйти",
    keep: "↩️ Нет",
    reboot: "🔁 Перезагрузить",
  },
  callbacks: {
    confirmLogout: "Подтвердите: выйти, затем получить код.",
    loggingOut: "Выхожу…",
    requesting: "Запрашиваю новый код…",
    cooldown: (seconds) => `Код на экране ещё действует. Новый можно запросить через ${seconds} с.`,
    cooldownNoCode: (seconds) =>
      `Новый код можно запросить через ${seconds} с: частые запросы могут заблокировать инстанс.`,
    noKnownPhone: "Номер этого инстанса ещё не запомнен: пришлите его ответом.",
    noPhone: "Отправьте /code с номером телефона ещё раз.",
  },
};
