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
  /**
   * Gone for good: never retry. `scope` says what is gone: the message (deleted, too old to edit:
   * a fresh message works) or the whole chat (bot blocked, kicked, chat deleted: nothing works).
   */
  | { kind: "gone"; scope: "message" | "chat"; description: string }
  /** Worth trying again later (5xx, network, timeouts). */
  | { kind: "failed"; description: string }
  /** Telegram refused the request itself (a 4xx we did not expect): a bug; retrying will not help. */
  | { kind: "bug"; description: string };
