import type { Transformer } from "grammy";
import type { Logger } from "../shared/logger.js";
import { isQueryTooOld } from "./telegram-errors.js";

/**
 * Makes a late answerCallbackQuery harmless, for every feature at once. Telegram refuses answers
 * after a short window ("query is too old…", e.g. for presses that waited while the bot was
 * down); the press itself must still be acted on, and its outcome shows in the message. So that
 * one refusal is logged at debug and reported as answered; every other failure is left as is.
 */
export function lateCallbackAnswers(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (method !== "answerCallbackQuery" || result.ok) return result;
    if (!isQueryTooOld(result.error_code, result.description)) return result;
    logger.debug({ method }, "callback query answered too late; acting on the press anyway");
    return { ok: true, result: true } as unknown as typeof result;
  };
}
