import { bold as b, codeList, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

export const link: Texts["link"] = {
  usage: (names: readonly string[]) =>
    `Как пользоваться: <code>/link &lt;инстанс&gt;</code> — веб-страница с живым QR для того, у кого телефон.\nИнстансы: ${codeList(names)}`,
  notConfigured:
    "🔗 Для /link нужна веб-страница greenlight: задайте PUBLIC_URL (её публичный https-адрес) и HTTP_PORT.",
  limit: (instance: string, max: number) =>
    `⛔ У ${b(instance)} уже ${max} живые ссылки. Отзовите одну (⛔ на её сообщении) или дождитесь, пока истечёт.`,
  live: (instance: string, url: string, until: string) =>
    [
      `🔗 Ссылка для ${b(instance)}, для того, у кого телефон:`,
      escapeHtml(url),
      `Действует до ${escapeHtml(until)}. Кто её откроет, сможет привязать ${b(instance)}: отправьте её только владельцу телефона.`,
    ].join("\n"),
  dead: (instance: string) => `🔗 Ссылка для ${b(instance)} больше не действует.`,
  opened: (at: string, on: string) => `👀 Открыта в ${escapeHtml(at)} (${escapeHtml(on)}).`,
  codeRequested: (at: string) => `🔢 Код для привязки запрошен в ${escapeHtml(at)}.`,
  linked: (instance: string, as: string | undefined, at: string) =>
    `✅ ${b(instance)} привязан по ссылке${as ? `, номер ${escapeHtml(as)}` : ""}, ${escapeHtml(at)}.`,
  revoked: (at: string) => `⛔ Отозвана в ${escapeHtml(at)}.`,
  expired: "⌛ Истекла.",
  shareText: (instance: string) => `Откройте, чтобы привязать WhatsApp (${instance}) к greenlight`,
  buttons: { share: "🔗 Поделиться", revoke: "⛔ Отозвать", newLink: "🔄 Новая ссылка" },
  callbacks: {
    revoked: "Отозвана.",
    notLive: "Эта ссылка уже не действует.",
  },
};
