import { formatMinutesSeconds } from "../../../shared/time-format.js";
import { bold as b, escapeHtml } from "../html.js";
import type { Texts } from "../texts.js";

export const qr: Texts["qr"] = {
  buttons: {
    cancel: "✖️ Отмена",
    fullScreen: "🔍 На весь экран",
    newQr: "📷 Новый QR",
    logoutAndQr: "🚪 Выйти и новый QR",
    logout: "🚪 Выйти",
    confirmLogout: "✅ Да, выйти",
    keep: "↩️ Нет",
  },
  callbacks: {
    sessionEnded: "Эта QR-сессия уже завершена.",
    cancelling: "Отменяю…",
    cancelled: "Отменено.",
    confirmLogout: "Подтвердите: выход, затем новый QR.",
    loggingOut: "Выхожу…",
    starting: "Запускаю новую QR-сессию…",
  },
  waitingCaption: (instance) => `⏳ ${b(instance)}: запрашиваю QR-код у GREEN-API…`,
  unansweredCaption: (instance) =>
    `⚠️ ${b(instance)}: GREEN-API не отвечает. Продолжаю попытки; QR появится здесь, когда он ответит.`,
  queuedCaption: (instance, place, capacity) =>
    [
      `🕒 ${b(instance)} ждёт своей очереди${place === 0 ? "" : place === 1 ? ": следующий" : `: ${place}-й в очереди`}.`,
      `Telegram позволяет одному боту обновлять около ${capacity} QR-кодов одновременно, и сейчас на экране столько и есть.`,
      "QR появится здесь, как только одна из сессий завершится; отсчёт времени начнётся тогда.",
    ].join("\n"),
  chatQueuedCaption: (instance, place, capacity) =>
    [
      `🕒 ${b(instance)} ждёт своей очереди в этом чате${place === 1 ? ": следующий" : `: ${place}-й в очереди`}.`,
      `Telegram позволяет боту отправлять в группу около 20 сообщений в минуту: этого хватает, чтобы обновлять ${capacity} QR-кода, и столько сейчас здесь на экране.`,
      "QR появится здесь, как только одна из сессий завершится; отсчёт времени начнётся тогда. В личном чате со мной такой очереди нет.",
    ].join("\n"),
  movedAway: (instance) => `↪️ QR-сессия ${b(instance)} перенесена в более новое сообщение.`,
  qrCaption: (instance, remainingMs) =>
    [
      `📱 Отсканируйте, чтобы привязать ${b(instance)}`,
      "WhatsApp → Настройки → Связанные устройства → Привязка устройства",
      `Код обновляется здесь сам. ⏱ осталось ${formatMinutesSeconds(remainingMs)}`,
    ].join("\n"),
  confirmLogout: (instance) =>
    `🚪 Выйти из ${b(instance)}? WhatsApp на нём не будет работать, пока кто-нибудь не отсканирует новый QR.`,
  loggingOut: (instance) => `⏳ Выхожу из ${b(instance)}…`,
  logoutKept: (instance) =>
    `Выход из ${b(instance)} не выполнен. Выйдите, когда будете готовы сканировать новый QR.`,
  logoutFailed: (instance, reason) =>
    `❌ Не удалось выйти из ${b(instance)}: ${escapeHtml(reason)}`,
  ends: {
    authorized: (instance, phone) =>
      `✅ ${b(instance)} авторизован${phone ? ` как ${escapeHtml(phone)}` : ""}.`,
    alreadyAuthorized: (instance) =>
      `✅ ${b(instance)} уже авторизован: сканировать нечего.\nЧтобы привязать другой телефон, сначала выйдите.`,
    needsLogout: (instance) =>
      [
        `⚠️ В ${b(instance)} остались старые данные входа WhatsApp, которые больше не работают, поэтому GREEN-API не выдаёт QR.`,
        "Выйдите, чтобы их сбросить, затем отсканируйте новый QR.",
      ].join("\n"),
    credentialsRejected: (instance) =>
      `⛔ GREEN-API отклонил учётные данные ${b(instance)} (проверьте idInstance / apiTokenInstance в файле инстансов).`,
    expired: (instance, minutes) => `⌛ QR истёк: ${b(instance)} не привязан за ${minutes} мин.`,
    cancelled: (instance) => `✖️ QR-сессия ${b(instance)} отменена.`,
    failed: (instance) =>
      `❌ QR-сессия ${b(instance)} остановилась из-за внутренней ошибки. Попробуйте /qr ещё раз.`,
  },
};
