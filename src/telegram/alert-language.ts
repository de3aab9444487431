import type { Redis } from "ioredis";
import { type Locale, LOCALES } from "../shared/locale.js";
import { type Texts, textsFor } from "./i18n/index.js";

/** Where alert messages get their words (alerts, fleet news, a claimed or paged alert). */
export interface AlertTexts {
  texts(): Promise<Texts>;
}

/** How often a process re-reads the learned language (another process may have learned it). */
const REFRESH_MS = 30_000;

/**
 * The one language of alerts and of the admins' start-up news: ALERT_LANGUAGE when set; else the
 * Telegram language of the first admin (or, with no admins, operator) who writes to the bot,
 * remembered in Redis for every process; English until then.
 */
export class AlertLanguage implements AlertTexts {
  private learned: Locale | undefined;
  private readAt = -Infinity;

  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      /** ALERT_LANGUAGE; unset: learned. */
      configured: Locale | undefined;
      /** Whose language counts: the admins, or the operators when there are no admins. */
      leads: readonly number[];
      now?: () => number;
    },
  ) {}

  private get key() {
    return `${this.deps.prefix}:alert-language`;
  }

  async locale(): Promise<Locale> {
    if (this.deps.configured) return this.deps.configured;
    const now = (this.deps.now ?? Date.now)();
    if (this.learned === undefined && now - this.readAt >= REFRESH_MS) {
      this.readAt = now;
      const stored = await this.deps.redis.get(this.key).catch(() => null);
      this.learned = LOCALES.find((locale) => locale === stored);
    }
    return this.learned ?? "en";
  }

  async texts(): Promise<Texts> {
    return textsFor(await this.locale());
  }

  /** A team lead wrote with this language_code: the first one known is kept. */
  async learn(userId: number, languageCode: string | undefined): Promise<void> {
    if (this.deps.configured || this.learned !== undefined) return;
    if (!this.deps.leads.includes(userId)) return;
    const base = languageCode?.toLowerCase().split(/[-_]/)[0];
    const locale = LOCALES.find((known) => known === base);
    if (!locale) return;
    await this.deps.redis.set(this.key, locale, "NX");
    const stored = await this.deps.redis.get(this.key);
    this.learned = LOCALES.find((known) => known === stored) ?? locale;
  }
}
