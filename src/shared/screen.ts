/**
 * What feature cores know of a chat screen: a message's address, and what became of a try to
 * show something on it. The Telegram side (telegram/) implements the screens and maps Telegram's
 * errors onto these outcomes (telegram/telegram-errors.ts).
 */
export interface MessageRef {
  chatId: number;
  messageId: number;
}

export type ScreenOutcome =
  | { kind: "done" }
  /** Wait this long before the next call to the chat (Telegram's retry_after). */
  | { kind: "rate-limited"; retryAfterMs: number }
  /** The message or chat is gone for good: deleted, bot blocked, kicked. */
  | { kind: "gone"; description: string }
  /** Anything else (5xx, network): worth trying again later. */
  | { kind: "failed"; description: string };
