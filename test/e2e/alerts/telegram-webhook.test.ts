import { afterEach, describe, expect, it } from "vitest";
import { telegramSecretToken } from "../../../src/config/webhook-secrets.js";
import { type Harness, OPERATOR, STRANGER } from "../../kit/app-harness.js";
import { textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { httpUrl, startWatching } from "./kit.js";

let updateId = 1;
function commandUpdate(fromId: number, text: string) {
  const command = text.split(" ")[0] as string;
  return {
    update_id: updateId++,
    message: {
      message_id: 1000 + updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: fromId, type: "private", first_name: "Op" },
      from: { id: fromId, is_bot: false, first_name: "Op", language_code: "en" },
      text,
      entities: [{ type: "bot_command", offset: 0, length: command.length }],
    },
  };
}

function postUpdate(h: Harness, update: unknown, secret: string | null) {
  return fetch(httpUrl(h, "/telegram/webhook"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
    },
    body: JSON.stringify(update),
  });
}

describe("BOT_MODE=webhook: Telegram posts updates to the HTTP server", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("sets the webhook with a secret_token, serves updates carrying it and refuses others with 401", async () => {
    h = await startWatching({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://greenlight.example.com/",
        STATE_POLL_INTERVAL_MS: "60000",
      },
    });
    const setWebhook = h.telegram.callsOf("setWebhook")[0];
    const secret = telegramSecretToken(h.config.env);
    expect(setWebhook?.params.url).toBe("https://greenlight.example.com/telegram/webhook");
    expect(setWebhook?.params.secret_token).toBe(secret);
    expect(h.telegram.callsOf("getUpdates")).toEqual([]);

    expect((await postUpdate(h, commandUpdate(OPERATOR, "/mute shop 1h"), null)).status).toBe(401);
    expect((await postUpdate(h, commandUpdate(OPERATOR, "/mute shop 1h"), "nope")).status).toBe(
      401,
    );
    expect((await postUpdate(h, { hello: "world" }, secret)).status).toBe(400);
    expect(textMessages(h)).toEqual([]);

    expect((await postUpdate(h, commandUpdate(OPERATOR, "/mute shop 1h"), secret)).status).toBe(
      200,
    );
    await eventually(
      () => textMessages(h).find((m) => m.text?.startsWith("🔕 Alerts for shop are muted")),
      "the /mute reply",
    );
    // The operators guard applies to webhook updates as to polled ones.
    expect((await postUpdate(h, commandUpdate(STRANGER, "/mute shop 1h"), secret)).status).toBe(
      200,
    );
    expect(textMessages(h, STRANGER)).toEqual([]);
  });
});
