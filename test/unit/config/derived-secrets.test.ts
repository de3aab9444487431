import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.js";
import { processSecrets } from "../../../src/config/secrets.js";
import {
  instanceTokenKey,
  instanceWebhookToken,
  telegramSecretToken,
} from "../../../src/config/webhook-secrets.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";

/**
 * Issue #22, hole 3: the logger's Redactor knows every secret the process holds, the derived ones
 * included (Telegram's secret_token, each instance's webhook token), as main.ts builds it.
 */
describe("the redactor of a running process (hole 3)", () => {
  it("masks every configured and derived secret", () => {
    const env = parseEnv({
      BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc",
      OPERATOR_IDS: "111",
      WEBHOOK_SECRET: "webhook-secret-0123456789abcdef",
      TELEGRAM_WEBHOOK_SECRET: "telegram-secret_0123456789",
      METRICS_TOKEN: "metrics-token-0123456789",
      GREEN_API_PARTNER_TOKEN: "partner-token-0123456789",
      REDIS_URL: "redis://:redis-pass-0123@127.0.0.1:6379",
      REDIS_SENTINEL_PASSWORD: "sentinel-pass-0123",
    });
    const instance = { idInstance: "1101000001", apiTokenInstance: "f".repeat(50) };
    const derivedEnv = { ...env, TELEGRAM_WEBHOOK_SECRET: undefined };
    const secrets = [
      env.BOT_TOKEN,
      env.WEBHOOK_SECRET ?? "",
      env.TELEGRAM_WEBHOOK_SECRET ?? "",
      telegramSecretToken(derivedEnv),
      env.METRICS_TOKEN ?? "",
      env.GREEN_API_PARTNER_TOKEN ?? "",
      "redis-pass-0123",
      "sentinel-pass-0123",
      instance.apiTokenInstance,
      instanceTokenKey({ BOT_TOKEN: env.BOT_TOKEN, WEBHOOK_SECRET: env.WEBHOOK_SECRET ?? "" }),
      instanceWebhookToken(
        instanceTokenKey({ BOT_TOKEN: env.BOT_TOKEN, WEBHOOK_SECRET: env.WEBHOOK_SECRET ?? "" }),
        instance.idInstance,
      ),
    ];
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      redactor: new Redactor([
        ...processSecrets(env, [instance]),
        ...processSecrets(derivedEnv, []),
      ]),
      destination: { write: (line: string) => void lines.push(line) },
    });
    logger.info({ all: secrets.join(" | ") }, "everything at once");
    for (const secret of secrets) expect(lines[0]).not.toContain(secret);
  });
});
