import type { StoredMessage } from "../fakes/fake-telegram.js";
import type { Harness } from "./app-harness.js";
import { OPERATOR } from "./app-harness.js";
import { scanPng } from "./qr-decode.js";
import { eventually } from "./wait.js";

/** What an operator sees in a chat, for assertions in the words of the user. */
export function photoMessages(h: Harness, chatId = OPERATOR): StoredMessage[] {
  return h.telegram
    .messagesIn(chatId)
    .filter((message) => message.kind === "photo" && !message.deleted);
}

export function textMessages(h: Harness, chatId = OPERATOR): StoredMessage[] {
  return h.telegram.messagesIn(chatId).filter((message) => message.kind === "text");
}

export function buttonsOf(message: Pick<StoredMessage, "replyMarkup"> | undefined): string[] {
  const markup = message?.replyMarkup as
    { inline_keyboard?: Array<Array<{ text: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((button) => button.text);
}

export function buttonData(message: StoredMessage | undefined, label: string): string {
  const markup = message?.replyMarkup as
    { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  const button = (markup?.inline_keyboard ?? []).flat().find((b) => b.text === label);
  if (!button?.callback_data)
    throw new Error(`no button "${label}" on the message (has: ${buttonsOf(message).join(", ")})`);
  return button.callback_data;
}

/**
 * Waits until the session message shows the QR with this payload, as a phone would scan it.
 * `timeoutMs` is for waits that include starting a process (slow under load).
 */
export function waitForQr(
  h: Harness,
  payload: string,
  chatId = OPERATOR,
  timeoutMs?: number,
): Promise<StoredMessage> {
  return eventually(
    async () => {
      for (const message of photoMessages(h, chatId)) {
        if (message.photo && (await scanPng(message.photo)) === payload) return message;
      }
      return undefined;
    },
    `a QR message scanning to ${payload}`,
    timeoutMs,
  );
}

/** Waits for a text message of the bot in the chat that contains `fragment`. */
export function waitForText(
  h: Harness,
  fragment: string,
  chatId = OPERATOR,
): Promise<StoredMessage> {
  return eventually(
    () => textMessages(h, chatId).find((message) => message.text?.includes(fragment)),
    `a message containing "${fragment}"`,
  );
}

export function waitForCaption(
  h: Harness,
  fragment: string,
  chatId = OPERATOR,
): Promise<StoredMessage> {
  return eventually(
    () => photoMessages(h, chatId).find((message) => message.caption?.includes(fragment)),
    `a message whose caption contains "${fragment}"`,
  );
}

/** Presses a button on a bot message as `fromId`, returning the callback query id. */
export function press(
  h: Harness,
  message: StoredMessage,
  label: string,
  fromId = OPERATOR,
): string {
  return h.telegram.userPresses({
    chatId: message.chatId,
    fromId,
    messageId: message.messageId,
    data: buttonData(message, label),
  }).callbackQueryId;
}

/** When the message first showed the QR with this payload (the fake's clock), if it ever did. */
export async function qrShownAt(
  message: StoredMessage | undefined,
  payload: string,
): Promise<number | undefined> {
  for (const version of message?.history ?? []) {
    if (version.photo && (await scanPng(version.photo)) === payload) return version.at;
  }
  return undefined;
}

/** greenlight's answer while Redis is out of reach (reconnecting after a failover or a restart). */
export const TEMPORARILY_UNAVAILABLE =
  "⚠️ greenlight is temporarily unavailable, try again in a moment.";

/**
 * Sends `text` as the operator and waits for `answer` (a probe, as `eventually` takes) — sending
 * again, as a user would, each time greenlight answers that it is temporarily unavailable: right
 * after Redis comes back, the bot's connection may still be reconnecting, and saying so is right.
 */
export async function sendUntilAnswered<T>(
  h: Harness,
  text: string,
  answer: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 25_000,
): Promise<T> {
  let apologies = textMessages(h).filter((m) => m.text === TEMPORARILY_UNAVAILABLE).length;
  h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });
  return eventually(
    async () => {
      const found = await answer();
      if (found !== undefined && found !== false) return found;
      const now = textMessages(h).filter((m) => m.text === TEMPORARILY_UNAVAILABLE).length;
      if (now > apologies) {
        apologies = now;
        h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });
      }
      return undefined;
    },
    what,
    timeoutMs,
  );
}
