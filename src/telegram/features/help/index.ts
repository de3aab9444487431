import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { LOCALES, textsFor } from "../../i18n/index.js";
import { onCommand } from "../../commands.js";

/**
 * `/start` and `/help` for the team: what the bot does, each command the reader may use with an
 * example, and their instances.
 */
export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onCommand(composer, ["start", "help"], (ctx) => {
    const may = {
      operate: ctx.access.names("operate").length > 0,
      administer: ctx.access.names("administer").length > 0,
    };
    return ctx.reply(ctx.t.toolkit.help(ctx.access.names("view"), may), { parse_mode: "HTML" });
  });
  return composer;
}

/** The command menu phones autocomplete, per language (setMyCommands with language_code). */
export function commandMenus() {
  return LOCALES.map((locale) => {
    const c = textsFor(locale).toolkit.commands;
    return {
      languageCode: locale === "en" ? undefined : locale,
      commands: [
        { command: "qr", description: c.qr },
        { command: "code", description: c.code },
        { command: "link", description: c.link },
        { command: "status", description: c.status },
        { command: "logout", description: c.logout },
        { command: "reboot", description: c.reboot },
        { command: "mute", description: c.mute },
        { command: "unmute", description: c.unmute },
        { command: "history", description: c.history },
        { command: "audit", description: c.audit },
        // One menu for everyone (not per scope), like /audit: others get the access answer.
        { command: "instances", description: c.instances },
        { command: "webhook", description: c.webhook },
        { command: "help", description: c.help },
      ],
    };
  });
}
