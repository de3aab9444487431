import { InlineKeyboard } from "grammy";
import { linkCallbacks } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

/**
 * Telegram's share screen (core.telegram.org/widgets/share: `t.me/share/url?url=…&text=…`, both
 * URL-encoded): the operator picks the chat; the link goes nowhere else.
 */
export function shareUrl(url: string, text: string): string {
  return `https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`;
}

/** Share, Revoke and New link while the link lives; only New link once it is dead. */
export function linkKeyboard(t: Texts, instance: string, url: string | undefined): InlineKeyboard {
  const b = t.link.buttons;
  const newLink = InlineKeyboard.text(b.newLink, linkCallbacks.encode({ action: "new", instance }));
  if (url === undefined) return new InlineKeyboard([[newLink]]);
  return new InlineKeyboard([
    [InlineKeyboard.url(b.share, shareUrl(url, t.link.shareText(instance)))],
    [InlineKeyboard.text(b.revoke, linkCallbacks.encode({ action: "revoke", instance })), newLink],
  ]);
}
