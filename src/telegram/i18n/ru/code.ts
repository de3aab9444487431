import { formatMinutesSeconds } from "../../../shared/time.js";
import { bold as b, codeList, escapeHtml, quoteInput } from "../html.js";
import type { Texts } from "../index.js";

export const code: Texts["code"] = {
  usage: (names) =>
    [
      "Как пользоваться: <code>/code &lt;инстанс&gt; &lt;телефон&gt;</code>, например <code>/code shop +7 900 123-45-67</code>",
      `Инстансы: ${codeList(names)}`,
    ].join("\n"),
  pick: "🔑 Код привязки для какого инстанса?",
  askPhone: (instance) =>
    `📞 Ответьте на это сообщение номером телефона аккаунта WhatsApp, который нужно привязать к ${b(instance)}, например <code>+7 900 123-45-67</code>.`,
  badPhone: (input) =>
    `«${quoteInput(input)}» — не номер телефона. Укажите его в международном формате с кодом страны, например <code>+7 900 123-45-67</code>.`,
  requesting: (instance) => `⏳ Запрашиваю у GREEN-API код привязки для ${b(instance)}…`,
  issued: (instance, pairingCode, phone, validMs) =>
    [
      `🔑 Код привязки для ${b(instance)} (${escapeHtml(phone)}):`,
      "",
      `<code>${escapeHtml(pairingCode)}</code>`,
      "",
      "На этом телефоне: WhatsApp → Настройки → Связанные устройства → Привязка устройства → <b>Привязать по номеру телефона</b>, затем введите код.",
      `⏱ Действует около ${formatMinutesSeconds(validMs)} мин. Сообщение изменится, когда ${b(instance)} будет привязан.`,
    ].join("\n"),
  authorized: (instance, phone) =>
    `✅ ${b(instance)} авторизован${phone ? ` как +${escapeHtml(phone)}` : ""}.`,
  expired: (instance) =>
    `⌛ Код привязки для ${b(instance)} истёк и не был использован. Получите новый или отсканируйте QR-код.`,
  cooldown: (instance, seconds) =>
    `⏳ Код для ${b(instance)} только что запрашивали. Частые запросы могут заблокировать инстанс, попробуйте через ${seconds} с.`,
  failed: (instance, reason) =>
    `❌ GREEN-API не выдал код привязки для ${b(instance)}: ${escapeHtml(reason)}`,
  buttons: { newCode: "🔑 Новый код", qrInstead: "📷 Лучше QR" },
  callbacks: {
    requesting: "Запрашиваю новый код…",
    noPhone: "Отправьте /code с номером телефона ещё раз.",
  },
};
