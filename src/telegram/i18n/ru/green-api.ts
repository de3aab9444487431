import { bold as b, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

const reasons: Texts["greenApi"]["reasons"] = {
  "credentials-rejected":
    "GREEN-API отклонил учётные данные (HTTP 401): проверьте idInstance / apiTokenInstance в файле инстансов.",
  forbidden:
    "GREEN-API отказывает этому инстансу (HTTP 403): его аккаунт заблокирован, или idInstance / apiUrl в файле инстансов принадлежат другому инстансу. Проверьте его в консоли GREEN-API.",
  "quota-exceeded":
    "тариф инстанса в GREEN-API исчерпан (HTTP 466). Оплатите или смените тариф в консоли GREEN-API либо дождитесь обновления месячной квоты.",
  "rate-limited": "GREEN-API занят другими проверками этого инстанса; попробуйте через минуту.",
};

export const greenApi: Texts["greenApi"] = {
  reasons,
  failures: {
    ...reasons,
    declined:
      "GREEN-API ответил, что не сделал этого (false в ответе). Попробуйте через минуту или проверьте инстанс в консоли GREEN-API.",
    "server-error": "ошибка на сервере GREEN-API (server-error); попробуйте через несколько минут.",
    timeout: "GREEN-API не ответил вовремя (timeout); попробуйте чуть позже.",
    network: "GREEN-API недоступен (network); попробуйте чуть позже.",
    "bad-request":
      "GREEN-API отклонил запрос (bad-request, HTTP 400); проверьте инстанс командой /status.",
    "invalid-answer": "GREEN-API ответил непонятно (invalid-answer); попробуйте чуть позже.",
    failed: "что-то пошло не так у нас; попробуйте чуть позже.",
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
