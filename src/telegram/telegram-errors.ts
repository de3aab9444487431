import { GrammyError, HttpError } from "grammy";

import type { ScreenOutcome } from "../shared/screen.js";

/** What a failed Telegram call means for the caller: a screen outcome (shared/screen.ts). */
export type TelegramOutcome = ScreenOutcome;

const GONE = [
  "message to edit not found",
  "message can't be edited",
  "chat not found",
  "bot was blocked by the user",
  "bot was kicked",
  "not enough rights",
  "have no rights to send",
  "user is deactivated",
  "there is no media in the message to edit",
];

export function classifyTelegramError(error: unknown): TelegramOutcome {
  if (error instanceof GrammyError) {
    const description = error.description;
    // Telegram refuses an edit that changes nothing: the message already shows what we want.
    if (description.includes("message is not modified")) return { kind: "done" };
    if (error.error_code === 429) {
      return { kind: "rate-limited", retryAfterMs: (error.parameters.retry_after ?? 1) * 1000 };
    }
    if (error.error_code === 403 || GONE.some((text) => description.includes(text))) {
      return { kind: "gone", description };
    }
    return { kind: "failed", description };
  }
  if (error instanceof HttpError) return { kind: "failed", description: "network error" };
  return { kind: "failed", description: error instanceof Error ? error.name : "unknown error" };
}
