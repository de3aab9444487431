import { formatMinutesSeconds } from "../../../shared/time.js";
import { bold as b, codeList, escapeHtml, quoteInput } from "../html.js";
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
  cooldown: (instance, seconds) =>
    `⏳ Код для ${b(instance)} только что запрашивали. Частые запросы могут заблокировать инстанс, попробуйте через ${seconds} с.`,
  failed: (instance, reason) =>
    `❌ GREEN-API не выдал код привязки для ${b(instance)}: ${escapeHtml(reason)}`,
  buttons: { newCode: "🔑 Новый код", qrInstead: "📷 Лучше QR", anotherNumber: "📞 Другой номер" },
  callbacks: {
    requesting: "Запрашиваю новый код…",
    noPhone: "Отправьте /code с номером телефона ещё раз.",
  },
};
