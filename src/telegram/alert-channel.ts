import type { Api } from "grammy";
import type { AlertChannel } from "../alerts/ports.js";
import type { AlertItem } from "../alerts/watch-state.js";
import type { MessageRef } from "../shared/screen.js";
import { renderAlert } from "./alert-view.js";
import type { AlertTexts } from "./alert-language.js";
import { classifyTelegramError } from "./telegram-errors.js";

/** Alert messages on Telegram: drawn by renderAlert, in the one language of alerts. */
export class TelegramAlertChannel implements AlertChannel {
  constructor(
    private readonly api: Api,
    private readonly language: AlertTexts,
  ) {}

  async send(chatId: number, items: readonly AlertItem[], actionable: (i: string) => boolean) {
    const view = renderAlert(items, await this.language.texts(), actionable, {
      claimable: chatId < 0,
    });
    try {
      const sent = await this.api.sendMessage(chatId, view.text, {
        parse_mode: "HTML",
        reply_markup: view.keyboard,
        link_preview_options: { is_disabled: true },
      });
      return { kind: "sent" as const, ref: { chatId, messageId: sent.message_id } };
    } catch (error) {
      const outcome = classifyTelegramError(error);
      // An identical "send" cannot be "not modified"; anything else is what Telegram said.
      return outcome.kind === "done" ? { kind: "failed" as const, description: "" } : outcome;
    }
  }

  async edit(ref: MessageRef, items: readonly AlertItem[], actionable: (i: string) => boolean) {
    const view = renderAlert(items, await this.language.texts(), actionable, {
      claimable: ref.chatId < 0,
    });
    try {
      await this.api.editMessageText(ref.chatId, ref.messageId, view.text, {
        parse_mode: "HTML",
        reply_markup: view.keyboard,
        link_preview_options: { is_disabled: true },
      });
      return { kind: "done" as const };
    } catch (error) {
      return classifyTelegramError(error);
    }
  }
}
