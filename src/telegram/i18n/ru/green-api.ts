import { bold as b, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

export const greenApi: Texts["greenApi"] = {
  reasons: {
    "credentials-rejected":
      "GREEN-API отклонил учётные данные (HTTP 401): проверьте idInstance / apiTokenInstance в файле инстансов.",
    forbidden:
      "GREEN-API отказывает этому инстансу (HTTP 403): его аккаунт заблокирован, или idInstance / apiUrl в файле инстансов принадлежат другому инстансу. Проверьте его в консоли GREEN-API.",
    "quota-exceeded":
      "тариф инстанса в GREEN-API исчерпан (HTTP 466). Оплатите или смените тариф в консоли GREEN-API либо дождитесь обновления месячной квоты.",
    "rate-limited": "GREEN-API занят другими проверками этого инстанса; попробуйте через минуту.",
  },
  status: {
    forbidden: "🚫 GREEN-API отказывает (HTTP 403): аккаунт заблокирован или инстанс не тот",
    "quota-exceeded":
      "💳 квота тарифа исчерпана (HTTP 466): оплатите или смените тариф либо подождите",
    busy: "⏳ занят: идут другие его проверки, нажмите «Обновить» чуть позже",
  },
  quotaNotice: (at, what) =>
    `📉 GREEN-API сообщил в ${escapeHtml(at)} UTC: квота превышена${what ? ` (${escapeHtml(what)})` : ""}. Смените тариф в консоли GREEN-API или дождитесь нового месяца.`,
  qrEnds: {
    forbidden: (instance) =>
      `🚫 GREEN-API отказывает ${b(instance)} (HTTP 403): его аккаунт заблокирован, или idInstance / apiUrl в файле инстансов принадлежат другому инстансу. Проверьте его в консоли GREEN-API.`,
    "quota-exceeded": (instance) =>
      `💳 Тариф ${b(instance)} в GREEN-API исчерпан (HTTP 466), поэтому QR не выдаётся. Оплатите или смените тариф в консоли GREEN-API либо дождитесь обновления месячной квоты.`,
  },
};
