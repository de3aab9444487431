import type { ServerResponse } from "node:http";
import { type Bot, type Context, webhookCallback } from "grammy";
import type { Update } from "grammy/types";

export const TELEGRAM_WEBHOOK_PATH = "/telegram/webhook";

export type TelegramWebhookHandler = (
  update: Update,
  secretHeader: string | undefined,
  res: ServerResponse,
) => Promise<void>;

/**
 * grammY's webhookCallback on an update our server already read (with a size cap), checking
 * X-Telegram-Bot-Api-Secret-Token. A slow handler does not make Telegram resend: after 9 s the
 * request is answered and the handler goes on.
 */
export function telegramWebhookHandler<C extends Context>(
  bot: Bot<C>,
  secretToken: string,
): TelegramWebhookHandler {
  const adapter = (update: Update, header: string | undefined, res: ServerResponse) => ({
    update,
    header,
    end: () => {
      if (!res.headersSent) res.writeHead(200).end();
    },
    respond: (json: string) => res.writeHead(200, { "content-type": "application/json" }).end(json),
    unauthorized: () => res.writeHead(401).end("unauthorized"),
  });
  const callback = webhookCallback(bot, adapter, {
    secretToken,
    onTimeout: "return",
    timeoutMilliseconds: 9_000,
  });
  return async (update, header, res) => {
    await callback(update, header, res);
  };
}
