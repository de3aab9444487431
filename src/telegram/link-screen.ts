import type { Api } from "grammy";
import type { LinkRecord, LinkState } from "../link-page/link-rules.js";
import type { LinkScreen } from "../link-page/ports.js";
import { linkKeyboard } from "./features/link/keyboard.js";
import { linkText } from "./features/link/view.js";
import { textsFor } from "./i18n/index.js";
import { classifyTelegramError } from "./telegram-errors.js";

/** The operator's link message, edited in place on each event of the link (link-page/). */
export class LinkMessageScreen implements LinkScreen {
  constructor(private readonly api: Api) {}

  async show(record: LinkRecord, state: LinkState, url: string | undefined): Promise<void> {
    const t = textsFor(record.locale);
    try {
      await this.api.editMessageText(
        record.chatId,
        record.messageId,
        linkText(t, record, state, url),
        {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          reply_markup: linkKeyboard(t, record.instance, url),
        },
      );
    } catch (error) {
      // A message the operator deleted: the link lives on regardless.
      const outcome = classifyTelegramError(error).kind;
      if (outcome === "gone" || outcome === "done") return;
      throw error;
    }
  }
}
