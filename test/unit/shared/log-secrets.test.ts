import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";

/**
 * Issue #22, hole 3: pino's error serializer copied GrammyError.payload into the log, so a failed
 * /code reply wrote the full phone number and a failed setWebhook its secret_token.
 */
function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    redactor: new Redactor(secrets),
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

const SECRET_TOKEN = "Zq7_derived-telegram-secret-0f3a9c1e55d2b8a7";

describe("failed Telegram calls in the log (hole 3)", () => {
  it("keep the method, error_code and description, and drop the payload", () => {
    const { logger, lines } = capture();
    const sendFailed = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      { chat_id: 1001, text: "🔑 Pairing code for shop: ABCD-EFGH, for +7 900 123-45-67" },
    );
    const webhookFailed = new GrammyError(
      "Call to 'setWebhook' failed!",
      { ok: false, error_code: 400, description: "Bad Request: bad webhook" },
      "setWebhook",
      { url: "https://g.example.com/telegram/webhook", secret_token: SECRET_TOKEN },
    );
    logger.error({ err: sendFailed }, "handler failed");
    logger.error({ err: webhookFailed }, "could not start");
    const [first, second] = lines.map(
      (line) => JSON.parse(line) as { err: Record<string, unknown> },
    );
    expect(first?.err).toMatchObject({
      method: "sendMessage",
      error_code: 400,
      description: "Bad Request: chat not found",
    });
    expect(second?.err).toMatchObject({ method: "setWebhook", error_code: 400 });
    expect(first?.err).not.toHaveProperty("payload");
    const all = lines.join("\n");
    for (const leak of ["123-45-67", "ABCD-EFGH", SECRET_TOKEN]) expect(all).not.toContain(leak);
  });

  it("masks phone numbers in anything logged, and leaves ids and times alone", () => {
    const { logger, lines } = capture();
    logger.info(
      { note: "typed +7 (900) 123-45-67", wid: "79001234567@c.us", idInstance: "1101000001" },
      "phone seen",
    );
    const line = lines[0] ?? "";
    expect(line).not.toContain("123-45-67");
    expect(line).not.toContain("79001234567");
    expect(line).toContain("+79···67");
    expect(line).toContain('"idInstance":"1101000001"');
    expect(line).toMatch(/"time":\d{13}/);
  });

  it("masks a secret under 16 characters whole, keeping no prefix", () => {
    const { logger, lines } = capture(["pw-Short-0123"]);
    logger.info({ url: "redis://:pw-Short-0123@redis:6379" }, "connecting");
    expect(lines[0]).not.toContain("pw-S");
    expect(lines[0]).toContain("[redacted]");
  });
});
