import type { Locale } from "../shared/locale.js";
import type { MessageRef, ScreenOutcome } from "../shared/screen.js";
import type { SessionEnd } from "./session-end.js";

export type { MessageRef, ScreenOutcome } from "../shared/screen.js";

/** A line a session waits in: the bot's (`bot`) or one group chat's (`chat`); `place` 0: not known. */
export interface QueueLine {
  scope: "bot" | "chat";
  place: number;
  capacity: number;
}

/**
 * The one photo message of a QR session, as the session needs it. Each method shows one state of
 * the session in the language of whoever started it; telegram/session-screen.ts draws them.
 * Nothing here throws except `sendWaiting` (there is no message yet to fall back on).
 */
export interface QrScreen {
  /** The first message of a session, while GREEN-API prepares the QR; its message id. */
  sendWaiting(chatId: number, instance: string, locale: Locale, replyTo?: number): Promise<number>;
  showWaiting(target: MessageRef, instance: string, locale: Locale): Promise<ScreenOutcome>;
  showQueued(
    target: MessageRef,
    instance: string,
    line: QueueLine,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  showMoved(target: MessageRef, instance: string, locale: Locale): Promise<ScreenOutcome>;
  /** `signal` (shutdown) stops the edit, even while it waits for the chat's turn to send. */
  showQr(
    target: MessageRef,
    instance: string,
    qrPng: Buffer,
    remainingMs: number,
    locale: Locale,
    signal?: AbortSignal,
  ): Promise<ScreenOutcome>;
  showEnd(
    target: MessageRef,
    instance: string,
    end: SessionEnd,
    locale: Locale,
  ): Promise<ScreenOutcome>;
}

/** What QR sessions count (observability/metrics.ts implements it). */
export interface QrCounters {
  /** A new QR reached the screen this long after it was fetched (render + upload + edit). */
  qrShown(secondsSinceFetched: number): void;
}
