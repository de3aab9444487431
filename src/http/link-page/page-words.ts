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
    gone: "This link is no longer valid.",
    goneHint: "Ask the person who sent it for a new one.",
    noScript: "This page needs JavaScript to show the live QR code.",
    switchTo: "Русский",
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
    gone: "Эта ссылка больше не действует.",
    goneHint: "Попросите того, кто её прислал, прислать новую.",
    noScript: "Чтобы показать живой QR-код, странице нужен JavaScript.",
    switchTo: "English",
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
