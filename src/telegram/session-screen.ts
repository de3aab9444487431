import { type Api, type InlineKeyboard, InputFile, InputMediaBuilder } from "grammy";
import type { QrScreen, QueueLine } from "../qr-session/ports.js";
import type { SessionEnd } from "../qr-session/session-end.js";
import type { Locale } from "../shared/locale.js";
import type { MessageRef } from "../shared/screen.js";
import { renderQrCard, renderStatusCard } from "../render/index.js";
import type { CardTone } from "../render/status-card.js";
import { closureLines } from "./alert-view.js";
import { cards, type Texts, textsFor } from "./i18n/index.js";
import { qrKeyboards } from "./features/qr/keyboard.js";
import { noButtons } from "./keyboards.js";
import { NoTurnError, WITHIN_MS } from "./pacing/index.js";
import { phoneForChat, phoneVisibilityIn } from "./phone-privacy.js";
import { classifyTelegramError, type TelegramOutcome } from "./telegram-errors.js";

export type { MessageRef } from "../shared/screen.js";
export type { QueueLine } from "../qr-session/ports.js";

interface Screen {
  card: { title: string; lines: readonly string[]; tone: CardTone };
  caption: string;
  keyboard: InlineKeyboard;
}

/** The status card, caption and buttons that close a session, by how it ended. */
export function endScreen(
  end: SessionEnd,
  instance: string,
  timeoutMs: number,
  t: Texts,
  /** The chat the card is shown in: a phone number is whole only in a private chat (#17). */
  chatId = 0,
): Screen {
  const ends = t.qr.ends;
  const keyboards = qrKeyboards(t);
  switch (end.kind) {
    case "authorized": {
      const phone = end.phone ? phoneForChat(end.phone, chatId) : undefined;
      // The card's font draws ASCII only: a masked number ("···") stays in the caption.
      const onCard = phone && phoneVisibilityIn(chatId) === "full" ? phone : undefined;
      return {
        card: { ...cards.authorized(instance, onCard), tone: "ok" },
        caption: [ends.authorized(instance, phone), ...closureLines(end.closure, t)].join("\n"),
        keyboard: noButtons(),
      };
    }
    case "already-authorized":
      return {
        card: { ...cards.alreadyAuthorized(instance), tone: "ok" },
        caption: ends.alreadyAuthorized(instance),
        keyboard: keyboards.logout(instance),
      };
    case "needs-logout":
      return {
        card: { ...cards.needsLogout(instance), tone: "warn" },
        caption: ends.needsLogout(instance),
        keyboard: keyboards.logoutAndQr(instance),
      };
    case "credentials-rejected":
      return {
        card: { ...cards.credentialsRejected(instance), tone: "error" },
        caption: ends.credentialsRejected(instance),
        keyboard: noButtons(),
      };
    case "forbidden":
      return {
        card: { ...cards.forbidden(instance), tone: "error" },
        caption: t.greenApi.qrEnds.forbidden(instance),
        keyboard: noButtons(),
      };
    case "quota-exceeded":
      return {
        card: { ...cards.quotaExceeded(instance), tone: "error" },
        caption: t.greenApi.qrEnds["quota-exceeded"](instance),
        keyboard: keyboards.newQr(instance),
      };
    case "expired":
      return {
        card: { ...cards.expired(instance), tone: "warn" },
        caption: ends.expired(instance, Math.round(timeoutMs / 60_000)),
        keyboard: keyboards.newQr(instance),
      };
    case "cancelled":
      return {
        card: { ...cards.cancelled(instance), tone: "info" },
        caption: ends.cancelled(instance),
        keyboard: keyboards.newQr(instance),
      };
    case "failed":
      return {
        card: { ...cards.failed(instance), tone: "error" },
        caption: ends.failed(instance),
        keyboard: keyboards.newQr(instance),
      };
  }
}

/**
 * The one photo message of a QR session, on the Telegram side: renders what to show and sends or
 * edits it, in the language `t` of whoever started the session. Calls go out once, without
 * auto-retry: the session loop decides what to do on a 429 (send the newest QR later, not this
 * one again).
 */
export class SessionScreen implements QrScreen {
  /**
   * @param qrTurnWithinMs a QR edit waits at most this long for the bot's slot once its chat's turn
   *   came (WITHIN_MS), else it is not made (`no-turn`): the next poll sends the newest QR.
   */
  constructor(
    private readonly api: Api,
    private readonly timeoutMs: number,
    private readonly qrTurnWithinMs?: number,
    /** PUBLIC_URL set: the Mini App's address for an instance ("🔍 Full screen"). */
    private readonly miniAppUrl?: (instance: string) => string,
  ) {}

  /**
   * Cancel, and in a private chat "🔍 Full screen": the same live QR as a Mini App (Telegram
   * allows web_app buttons only in private chats; a QR is shown nowhere else by default).
   */
  private liveKeyboard(t: Texts, instance: string, chatId: number): InlineKeyboard {
    const keyboard = qrKeyboards(t).liveQr(instance);
    if (this.miniAppUrl && chatId > 0)
      keyboard.row().webApp(t.qr.buttons.fullScreen, this.miniAppUrl(instance));
    return keyboard;
  }

  /** The first message of a session, shown while GREEN-API prepares the QR. Throws on failure. */
  async sendWaiting(
    chatId: number,
    instance: string,
    locale: Locale,
    replyTo?: number,
  ): Promise<number> {
    const t = textsFor(locale);
    const png = await renderStatusCard({ ...cards.waiting(instance), tone: "wait" });
    const message = await this.api.sendPhoto(chatId, new InputFile(png, "qr.png"), {
      caption: t.qr.waitingCaption(instance),
      parse_mode: "HTML",
      reply_markup: this.liveKeyboard(t, instance, chatId),
      ...(replyTo
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
    });
    return message.message_id;
  }

  async showWaiting(
    target: MessageRef,
    instance: string,
    locale: Locale,
  ): Promise<TelegramOutcome> {
    const t = textsFor(locale);
    const png = await renderStatusCard({ ...cards.waiting(instance), tone: "wait" });
    return this.edit(
      target,
      png,
      t.qr.waitingCaption(instance),
      this.liveKeyboard(t, instance, target.chatId),
    );
  }

  /**
   * The session waits for a free slot (`place` in line; 0: not known): one of the bot's (`bot`) or
   * one of the few a group chat can keep fresh (`chat`).
   */
  async showQueued(
    target: MessageRef,
    instance: string,
    line: QueueLine,
    locale: Locale,
  ): Promise<TelegramOutcome> {
    const t = textsFor(locale);
    const png = await renderStatusCard({ ...cards.queued(instance), tone: "wait" });
    const { place, capacity } = line;
    const caption =
      line.scope === "chat"
        ? t.qr.chatQueuedCaption(instance, place, capacity)
        : t.qr.queuedCaption(instance, place, capacity);
    return this.edit(target, png, caption, this.liveKeyboard(t, instance, target.chatId));
  }

  async showLoggingOut(
    target: MessageRef,
    instance: string,
    locale: Locale,
  ): Promise<TelegramOutcome> {
    const t = textsFor(locale);
    const png = await renderStatusCard({ ...cards.loggingOut(instance), tone: "wait" });
    return this.edit(target, png, t.qr.loggingOut(instance), noButtons());
  }

  async showUnanswered(
    target: MessageRef,
    instance: string,
    locale: Locale,
  ): Promise<TelegramOutcome> {
    const t = textsFor(locale);
    const png = await renderStatusCard({ ...cards.unanswered(instance), tone: "warn" });
    return this.edit(
      target,
      png,
      t.qr.unansweredCaption(instance),
      qrKeyboards(t).liveQr(instance),
    );
  }

  async showMoved(target: MessageRef, instance: string, locale: Locale): Promise<TelegramOutcome> {
    const t = textsFor(locale);
    const png = await renderStatusCard({ ...cards.moved(instance), tone: "info" });
    return this.edit(target, png, t.qr.movedAway(instance), noButtons());
  }

  /** `signal` (shutdown) stops the edit, even while it waits for the chat's turn to send. */
  async showQr(
    target: MessageRef,
    instance: string,
    qrPng: Buffer,
    remainingMs: number,
    locale: Locale,
    signal?: AbortSignal,
  ): Promise<TelegramOutcome | { kind: "no-turn" }> {
    const t = textsFor(locale);
    const png = await renderQrCard({ qrPng, label: instance });
    const caption = t.qr.qrCaption(instance, remainingMs);
    const keyboard = this.liveKeyboard(t, instance, target.chatId);
    try {
      return await this.edit(target, png, caption, keyboard, signal, this.qrTurnWithinMs);
    } catch (error) {
      if (error instanceof NoTurnError) return { kind: "no-turn" };
      throw error;
    }
  }

  async showEnd(
    target: MessageRef,
    instance: string,
    end: SessionEnd,
    locale: Locale,
  ): Promise<TelegramOutcome> {
    const screen = endScreen(end, instance, this.timeoutMs, textsFor(locale), target.chatId);
    const png = await renderStatusCard(screen.card);
    return this.edit(target, png, screen.caption, screen.keyboard);
  }

  /** Swaps only the caption and buttons, e.g. for a confirmation step. */
  async showButtons(
    target: MessageRef,
    caption: string,
    keyboard: InlineKeyboard,
  ): Promise<TelegramOutcome> {
    try {
      await this.api.editMessageCaption(target.chatId, target.messageId, {
        caption,
        parse_mode: "HTML",
        reply_markup: keyboard,
      });
      return { kind: "done" };
    } catch (error) {
      return classifyTelegramError(error);
    }
  }

  private async edit(
    target: MessageRef,
    png: Buffer,
    caption: string,
    keyboard: InlineKeyboard,
    signal?: AbortSignal,
    withinMs?: number,
  ): Promise<TelegramOutcome> {
    try {
      await this.api.editMessageMedia(
        target.chatId,
        target.messageId,
        InputMediaBuilder.photo(new InputFile(png, "qr.png"), { caption, parse_mode: "HTML" }),
        { reply_markup: keyboard, ...(withinMs !== undefined ? { [WITHIN_MS]: withinMs } : {}) },
        // grammY types its signal with its own AbortSignal shim; Node's is what it uses.
        signal as Parameters<Api["editMessageMedia"]>[4],
      );
      return { kind: "done" };
    } catch (error) {
      // Not sent at all: the QR edit's caller decides (showQr).
      if (error instanceof NoTurnError) throw error;
      return classifyTelegramError(error);
    }
  }
}
