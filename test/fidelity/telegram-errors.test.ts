import { describe, expect, it } from "vitest";
import { classifyTelegramAnswer, isQueryTooOld } from "../../src/telegram/telegram-errors.js";

/** Telegram's error texts are read in one place (REAL-API.md lists them with their sources). */
describe("Telegram errors: gone for good, retry later, or a bug", () => {
  it.each([
    [400, "Bad Request: MESSAGE_ID_INVALID", "message"],
    [400, "Bad Request: message can't be edited", "message"],
    [400, "Bad Request: message to edit not found", "message"],
    [400, "Bad Request: chat not found", "chat"],
    [403, "Forbidden: bot was blocked by the user", "chat"],
    [403, "Forbidden: bot was kicked from the supergroup chat", "chat"],
    [403, "Forbidden: bot can't initiate conversation with a user", "chat"],
  ])("%i %s: gone (%s), never retried", (code, description, scope) => {
    expect(classifyTelegramAnswer(code, description)).toEqual({ kind: "gone", scope, description });
  });

  it("sorts the rest: not modified is done, 429 waits retry_after, 5xx retries, another 400 is a bug", () => {
    expect(classifyTelegramAnswer(400, "Bad Request: message is not modified: …").kind).toBe(
      "done",
    );
    expect(classifyTelegramAnswer(429, "Too Many Requests: retry after 7", 7)).toEqual({
      kind: "rate-limited",
      retryAfterMs: 7000,
    });
    expect(classifyTelegramAnswer(502, "Bad Gateway").kind).toBe("failed");
    expect(classifyTelegramAnswer(400, "Bad Request: can't parse entities").kind).toBe("bug");
  });

  it("knows a late answer to a button press", () => {
    const late =
      "Bad Request: query is too old and response timeout expired or query ID is invalid";
    expect(isQueryTooOld(400, late)).toBe(true);
    expect(isQueryTooOld(400, "Bad Request: MESSAGE_TOO_LONG")).toBe(false);
  });
});
