import { Composer } from "grammy";
import type { InstanceRegistry } from "../../config/index.js";
import type { BotContext } from "../context.js";
import { LOCALES, textsFor } from "../i18n/index.js";

/** `/start` and `/help` for operators: what the bot does, every command with an example. */
export function helpFeature(deps: { instances: InstanceRegistry }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(["start", "help"], (ctx) => {
    const names = deps.instances.visibleTo(ctx.from?.id ?? 0).map((i) => i.name);
    return ctx.reply(ctx.t.toolkit.help(names), { parse_mode: "HTML" });
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
        { command: "status", description: c.status },
        { command: "logout", description: c.logout },
        { command: "reboot", description: c.reboot },
        { command: "mute", description: c.mute },
        { command: "unmute", description: c.unmute },
        { command: "audit", description: c.audit },
        { command: "help", description: c.help },
      ],
    };
  });
}
