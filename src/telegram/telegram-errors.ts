import { GrammyError, HttpError } from "grammy";

import type { ScreenOutcome } from "../shared/screen.js";

/**
 * What a failed Telegram call means for the caller: a screen outcome (shared/screen.ts). This is
 * the one place that reads Telegram's error texts: every caller acts on the kind
 * (test/fakes/REAL-API.md lists the texts and sources).
 */
export type TelegramOutcome = ScreenOutcome;

/** The message cannot be edited any more; a new message in the same chat still works. */
const MESSAGE_GONE = [
  "MESSAGE_ID_INVALID",
  "message to edit not found",
  "message can't be edited",
  "there is no media in the message to edit",
  "message to delete not found",
];

/** Nothing can be sent to the chat any more. */
const CHAT_GONE = [
  "chat not found",
  "bot was blocked by the user",
  "bot was kicked",
  "bot is not a member",
  "user is deactivated",
  "not enough rights",
  "have no rights to send",
  "CHAT_WRITE_FORBIDDEN",
  "PEER_ID_INVALID",
  "group chat was upgraded to a supergroup chat",
];

/** answerCallbackQuery after Telegram's answer window (e.g. presses that waited while the bot was down). */
export const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

export function classifyTelegramError(error: unknown): TelegramOutcome {
  if (error instanceof GrammyError) {
    return classifyTelegramAnswer(
      error.error_code,
      error.description,
      error.parameters.retry_after,
    );
  }
  if (error instanceof HttpError) return { kind: "failed", description: "network error" };
  return { kind: "failed", description: error instanceof Error ? error.name : "unknown error" };
}

/** The same classification from the raw fields of an answer with `ok: false`. */
export function classifyTelegramAnswer(
  errorCode: number,
  description: string,
  retryAfter?: number,
): TelegramOutcome {
  // Telegram refuses an edit that changes nothing: the message already shows what we want.
  if (description.includes("message is not modified")) return { kind: "done" };
  if (errorCode === 429) return { kind: "rate-limited", retryAfterMs: (retryAfter ?? 1) * 1000 };
  if (MESSAGE_GONE.some((text) => description.includes(text))) {
    return { kind: "gone", scope: "message", description };
  }
  if (errorCode === 403 || CHAT_GONE.some((text) => description.includes(text))) {
    return { kind: "gone", scope: "chat", description };
  }
  if (errorCode >= 500 || errorCode === 408) return { kind: "failed", description };
  if (errorCode >= 400) return { kind: "bug", description };
  return { kind: "failed", description };
}

/** "query is too old…": the press is still to be acted on, only its answer is too late. */
export function isQueryTooOld(errorCode: number, description: string): boolean {
  return errorCode === 400 && description.includes(QUERY_TOO_OLD);
}
