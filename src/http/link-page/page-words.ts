/** Every word of the link page, in the two languages the bot speaks. */
export type PageLanguage = "en" | "ru";

export const PAGE_WORDS = {
  en: {
    title: (instance: string) => `Link WhatsApp: ${instance}`,
    heading: (instance: string) => `Link WhatsApp to “${instance}”`,
    steps: [
      "Open WhatsApp on the phone.",
      "Settings (⋮ on Android) → Linked devices → Link a device.",
      "Point the phone at this QR code.",
    ],
    waiting: "Getting a fresh QR code…",
    refreshIn: "New code in",
    seconds: "s",
    expires: "This link works until",
    linked: "✅ Linked. WhatsApp is connected; you can close this page.",
    alreadyLinked: "✅ This WhatsApp is already linked: nothing to do. You can close this page.",
    gone: "This link is no longer valid.",
    goneHint: "Ask the person who sent it for a new one.",
    noScript: "This page needs JavaScript to show the live QR code.",
    switchTo: "Русский",
    sessionOver: "This QR session is over (or you may not see it). Close this and start /qr again.",
    byPhone: "Link with phone number instead",
    country: "Country",
    phone: "Phone number with WhatsApp",
    getCode: "Get the code",
    codeHow:
      "On the phone: WhatsApp → Linked devices → Link a device → Link with phone number instead, then type this code.",
    errors: {
      "bad-number":
        "That does not look like a phone number of this country. Check it, or pick the country.",
      cooldown: (seconds: number | string) =>
        `A code was asked for just now. Try again in ${seconds} s.`,
      "already-linked": "This WhatsApp is already linked: nothing to do.",
      failed: "Could not get a code right now. Try again in a minute, or scan the QR.",
      refused: "This page is out of date: reload it.",
    },
  },
  ru: {
    title: (instance: string) => `Привязка WhatsApp: ${instance}`,
    heading: (instance: string) => `Привяжите WhatsApp к «${instance}»`,
    steps: [
      "Откройте WhatsApp на телефоне.",
      "Настройки (⋮ на Android) → Связанные устройства → Привязка устройства.",
      "Наведите телефон на этот QR-код.",
    ],
    waiting: "Получаем свежий QR-код…",
    refreshIn: "Новый код через",
    seconds: "с",
    expires: "Ссылка действует до",
    linked: "✅ Готово. WhatsApp привязан, страницу можно закрыть.",
    alreadyLinked: "✅ Этот WhatsApp уже привязан: ничего делать не нужно. Страницу можно закрыть.",
    gone: "Эта ссылка больше не действует.",
    goneHint: "Попросите того, кто её прислал, прислать новую.",
    noScript: "Чтобы показать живой QR-код, странице нужен JavaScript.",
    switchTo: "English",
    sessionOver:
      "Эта QR-сессия закончилась (или вам её не видно). Закройте окно и запустите /qr снова.",
    byPhone: "Привязать по номеру телефона",
    country: "Страна",
    phone: "Номер телефона с WhatsApp",
    getCode: "Получить код",
    codeHow:
      "На телефоне: WhatsApp → Связанные устройства → Привязка устройства → Привязать по номеру телефона, затем введите этот код.",
    errors: {
      "bad-number":
        "Это не похоже на номер телефона этой страны. Проверьте номер или выберите страну.",
      cooldown: (seconds: number | string) =>
        `Код только что запрашивали. Попробуйте через ${seconds} с.`,
      "already-linked": "Этот WhatsApp уже привязан: ничего делать не нужно.",
      failed: "Сейчас не удалось получить код. Попробуйте через минуту или отсканируйте QR.",
      refused: "Страница устарела: обновите её.",
    },
  },
} as const;

/**
 * `?lang=` when the visitor switched, else the first language of Accept-Language we speak,
 * else English.
 */
export function pageLanguage(
  query: string | null,
  acceptLanguage: string | undefined,
): PageLanguage {
  if (query === "ru" || query === "en") return query;
  const preferred = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", q] = part.trim().split(";q=");
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of preferred) {
    if (tag.startsWith("ru")) return "ru";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}
