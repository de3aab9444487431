import type { IncomingMessage, ServerResponse } from "node:http";
import { type Bot, type Context, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { z } from "zod";
import { sameSecret } from "../config/webhook-secrets.js";
import type { Logger } from "../shared/logger.js";
import { BodyTooLarge, readBody, sendJson } from "./io.js";
import type { HttpMetrics } from "./ports.js";

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

const telegramUpdateSchema = z.looseObject({ update_id: z.number().int() });

/**
 * One POST to /telegram/webhook: the secret_token on the headers before the body is read (a
 * stranger's post costs no read and no WARN), then the update's envelope, then grammY.
 */
export async function serveTelegramUpdate(
  req: IncomingMessage,
  res: ServerResponse,
  webhook: { handle: TelegramWebhookHandler; secret: string },
  deps: { metrics: HttpMetrics; logger: Logger },
): Promise<void> {
  // The secret before the body: a stranger's post costs no read and no WARN.
  const header = req.headers["x-telegram-bot-api-secret-token"];
  if (typeof header !== "string" || !sameSecret(header, webhook.secret)) {
    req.resume();
    deps.metrics.refused("telegram-webhook", "wrong-secret");
    deps.logger.debug({ remote: req.socket.remoteAddress }, "telegram webhook refused");
    return sendJson(res, 401, { error: "unauthorized" });
  }
  let json: unknown;
  try {
    json = JSON.parse((await readBody(req)).toString("utf8"));
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: "body too large" });
    return sendJson(res, 400, { error: "body is not JSON" });
  }
  // grammY reads the fields it needs; only the envelope is checked here.
  const update = telegramUpdateSchema.safeParse(json);
  if (!update.success) return sendJson(res, 400, { error: "not a Telegram update" });
  await webhook.handle(update.data as Parameters<TelegramWebhookHandler>[0], header, res);
}
