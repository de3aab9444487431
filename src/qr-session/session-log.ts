import type { Logger } from "../shared/logger.js";
import type { LogEvent } from "./session-machine.js";

/**
 * The log lines a QR session writes when session-machine.ts asks for one: the machine decides
 * when something is worth a line, this file says how it reads (level, fields, words).
 */
export function logEvent(logger: Logger, event: LogEvent, pollError: unknown): void {
  switch (event.kind) {
    case "poll-failed":
      logger.warn(
        { err: pollError, failuresInARow: event.failuresInARow },
        "GREEN-API qr failed; retrying",
      );
      return;
    case "rate-limited":
      logger.info({ retryAfterMs: event.retryAfterMs }, "Telegram rate limit; holding edits");
      return;
    case "edit-refused":
      logger.error({ reason: event.reason }, "Telegram refused the QR edit");
      return;
    case "edit-failed":
      logger.warn({ reason: event.reason }, "Telegram edit failed; retrying on the next poll");
      return;
    case "qr-error-answer":
      logger.info("GREEN-API answered qr with an error; polling on");
      return;
    case "message-gone":
      logger.info("QR message is gone; ending the session");
      return;
  }
}
