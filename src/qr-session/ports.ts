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
  /** GREEN-API has not answered the last polls: the session keeps trying, Cancel stays. */
  showUnanswered(target: MessageRef, instance: string, locale: Locale): Promise<ScreenOutcome>;
  /**
   * `signal` (shutdown) stops the edit, even while it waits for the chat's turn to send.
   * `no-turn`: the bot's send budget had no slot soon enough; nothing was sent (the newest QR goes
   * at the next poll rather than this one late).
   */
  showQr(
    target: MessageRef,
    instance: string,
    qrPng: Buffer,
    remainingMs: number,
    locale: Locale,
    signal?: AbortSignal,
  ): Promise<ScreenOutcome | { kind: "no-turn" }>;
  showEnd(
    target: MessageRef,
    instance: string,
    end: SessionEnd,
    locale: Locale,
  ): Promise<ScreenOutcome>;
}

/**
 * Every QR a session shows, and its end, for the other screens of the same live QR (the link
 * page, link-page/live-qr.ts): one poller, any number of viewers. Best effort: a failure here
 * never holds up the Telegram edit.
 */
export interface QrBroadcast {
  qrShown(instance: string, qrPngBase64: string, deadline: number): Promise<void>;
  /** `already-authorized`: the instance was linked before the session began (nothing to scan). */
  ended(instance: string, end: "authorized" | "already-authorized" | "other"): Promise<void>;
}

/** What QR sessions count (observability/metrics.ts implements it). */
export interface QrCounters {
  /** A new QR reached the screen this long after it was fetched (render + upload + edit). */
  qrShown(secondsSinceFetched: number): void;
}

/**
 * The live QR sessions one chat can keep fresh (a group: a few, Telegram allows ~20 messages a
 * minute there; a private chat: no limit). telegram/pacing/chat-slots.ts keeps them in Redis.
 */
export interface ChatLine {
  /** How many sessions may be live in the chat; undefined: no limit. */
  capacityOf(chatId: number): number | undefined;
  /** 0 when the session is live in the chat, else its place in the chat's line. */
  hold(
    chatId: number,
    sessionId: string,
    ttlMs: number,
    opts?: { force?: boolean; now?: number },
  ): Promise<number>;
  release(chatId: number, sessionId: string): Promise<void>;
}
