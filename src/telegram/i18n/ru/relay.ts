import type { Texts } from "../texts.js";
import { bold as b, escapeHtml } from "../html.js";

/** Целые минуты, часы и дни. */
function ageText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return "меньше минуты";
  if (minutes < 60) return `${minutes} мин`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} ч ${minutes % 60} мин` : `${hours} ч`;
  return `${Math.floor(hours / 24)} д ${hours % 24} ч`;
}

export const relay: Texts["relay"] = {
  failing: (instance, forMs, lastError, backlog) =>
    `📮 ${b(instance)}: приложение не принимает уведомления GREEN-API уже ${ageText(forMs)} (последний ответ: ${escapeHtml(lastError)}). ` +
    `greenlight хранит их (ждут: ${backlog}) и повторяет до 24 ч. Проверьте URL и журнал приложения.`,
  recovered: (instance, failedMs, backlog) =>
    `✅ ${b(instance)}: приложение снова принимает уведомления (сбой длился ${ageText(failedMs)}); осталось доставить по порядку: ${backlog}.`,
  backlog: (count, oldestMs) =>
    `📮 Уведомлений ждут приложения: ${count}, самому старому ${ageText(oldestMs)}`,
  failingSince: (forMs) => `📮 Приложение не отвечает уже ${ageText(forMs)}`,
  deadLettered: (count) =>
    `📮 Уведомлений не доставлено за 24 ч и отложено: ${count} (хранятся 7 дней в Redis)`,
};
