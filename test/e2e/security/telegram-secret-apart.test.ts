import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/config/index.js";

/**
 * Issue #22 review: hole 1 closed by a Telegram secret nobody GREEN-API-side can compute. An
 * operator who sets TELEGRAM_WEBHOOK_SECRET to the WEBHOOK_SECRET they already have reopens it:
 * GREEN-API and every 0.2 instance-token holder (getSettings) can read that value. One start-up
 * line naming the variable and the fix.
 */
const SHARED = "a-shared_secret-0123456789";
const env = {
  BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc",
  OPERATOR_IDS: "111",
  BOT_MODE: "webhook",
  HTTP_PORT: "8080",
  WEBHOOK_URL: "https://greenlight.example.com",
  WEBHOOK_SECRET: SHARED,
};

describe("Telegram's webhook secret apart from GREEN-API's", () => {
  it("refuses to start with TELEGRAM_WEBHOOK_SECRET equal to WEBHOOK_SECRET, naming the variable", () => {
    let error: unknown;
    try {
      parseEnv({ ...env, TELEGRAM_WEBHOOK_SECRET: SHARED });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^TELEGRAM_WEBHOOK_SECRET: must differ from WEBHOOK_SECRET/);
    expect(message.split("\n")).toHaveLength(1);
    expect(message).not.toContain(SHARED);
  });

  it("starts with two different secrets, or with Telegram's derived", () => {
    const own = "another_telegram-secret-0123456789";
    expect(parseEnv({ ...env, TELEGRAM_WEBHOOK_SECRET: own }).TELEGRAM_WEBHOOK_SECRET).toBe(own);
    expect(parseEnv(env).TELEGRAM_WEBHOOK_SECRET).toBeUndefined();
  });
});
