/**
 * Operators do paste tokens into chats. These shapes are what greenlight looks for in every
 * message it receives, to delete it and warn: a GREEN-API apiTokenInstance (50 hex characters)
 * and a Telegram bot token ("123456789:" and 35 characters of base64url).
 */
const GREEN_API_TOKEN = /(?<![0-9a-f])[0-9a-f]{50}(?![0-9a-f])/i;
const BOT_TOKEN = /(?<![\w:])\d{5,12}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/;

export type PastedSecret = "green-api-token" | "bot-token";

export function findPastedSecret(text: string | undefined): PastedSecret | undefined {
  if (!text) return undefined;
  if (GREEN_API_TOKEN.test(text)) return "green-api-token";
  if (BOT_TOKEN.test(text)) return "bot-token";
  return undefined;
}
