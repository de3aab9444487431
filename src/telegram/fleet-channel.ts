import type { Api } from "grammy";
import type { ExpiryNotice, FleetChannel } from "../instance-directory/ports.js";
import type { Logger } from "../shared/logger.js";
import type { Texts } from "./i18n/index.js";
import { billingDate } from "../shared/time-format.js";

/** The fleet's news, in the alerts' language, to each admin's private chat. */
export class TelegramFleetChannel implements FleetChannel {
  constructor(
    private readonly api: Api,
    private readonly texts: Texts,
    private readonly adminChats: readonly number[],
    private readonly logger: Logger,
  ) {}

  announceChanges(change: { added: readonly string[]; removed: readonly string[] }) {
    return this.toAdmins(this.texts.fleet.changes(change.added, change.removed));
  }

  warnExpiry(notices: readonly ExpiryNotice[]) {
    const f = this.texts.fleet;
    const order = { ended: 0, "1d": 1, "3d": 2 } as const;
    const lines = [...notices]
      .sort((a, b) => order[a.stage] - order[b.stage] || a.instance.localeCompare(b.instance))
      .slice(0, 40)
      .map((n) => f.expiry[n.stage](n.instance, n.expiresAt ? billingDate(n.expiresAt) : ""));
    if (notices.length > 40) lines.push(f.list.more(notices.length - 40));
    return this.toAdmins([f.expiryTitle(notices.length), ...lines, "", f.expiryTodo].join("\n"));
  }

  private async toAdmins(text: string): Promise<void> {
    for (const chatId of this.adminChats) {
      await this.api
        .sendMessage(chatId, text, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
        })
        .catch((error) => this.logger.warn({ err: error, chatId }, "could not tell an admin"));
    }
  }
}
