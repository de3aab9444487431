import type { Api } from "grammy";
import type { RelayNotice, RelayNotices } from "../relay/ports.js";
import type { AlertTexts } from "./alert-language.js";

/**
 * The relay's two messages (an application failing, then recovered), sent to the instance's
 * alert audience (ALERT_CHAT_IDS, or the team members who may see it) in the alerts' language.
 * They name the instance and the last HTTP status, never a notification's content.
 */
export class TelegramRelayNotices implements RelayNotices {
  constructor(
    private readonly deps: {
      api: Api;
      /** The alerts' language (ALERT_LANGUAGE, or learned from the team's leads). */
      language: AlertTexts;
      chatsFor: (instance: string) => readonly number[];
      now?: () => number;
    },
  ) {}

  async tell(notice: RelayNotice): Promise<void> {
    const { api, language, chatsFor } = this.deps;
    const texts = await language.texts();
    const lasted = (this.deps.now ?? Date.now)() - notice.failingSince;
    const text =
      notice.kind === "failing"
        ? texts.relay.failing(notice.instance, lasted, notice.lastError ?? "?", notice.backlog)
        : texts.relay.recovered(notice.instance, lasted, notice.backlog);
    const results = await Promise.allSettled(
      chatsFor(notice.instance).map((chatId) =>
        api.sendMessage(chatId, text, { parse_mode: "HTML" }),
      ),
    );
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
