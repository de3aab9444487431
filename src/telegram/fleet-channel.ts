import type { Api } from "grammy";
import type { ExpiryNotice, FleetChannel, OffTeamListing } from "../instance-directory/ports.js";
import type { Logger } from "../shared/logger.js";
import type { AlertTexts } from "./alert-language.js";
import { billingDate } from "../shared/time-format.js";

/** The fleet's news, in the alerts' language, to each admin's private chat. */
export class TelegramFleetChannel implements FleetChannel {
  constructor(
    private readonly api: Api,
    private readonly language: AlertTexts,
    private readonly adminChats: readonly number[],
    private readonly logger: Logger,
  ) {}

  async announceChanges(change: { added: readonly string[]; removed: readonly string[] }) {
    const t = await this.language.texts();
    return this.toAdmins(t.fleet.changes(change.added, change.removed));
  }

  async warnOffTeam(listed: readonly OffTeamListing[]) {
    const t = await this.language.texts();
    const f = t.fleet.offTeam;
    const lines = listed.slice(0, 40).map((e) => f.line(e.instance, e.userId));
    if (listed.length > 40) lines.push(t.fleet.list.more(listed.length - 40));
    return this.toAdmins([f.title, ...lines, "", f.todo].join("\n"));
  }

  async warnExpiry(notices: readonly ExpiryNotice[]) {
    const f = (await this.language.texts()).fleet;
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
