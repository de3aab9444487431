import { Composer } from "grammy";
import { clock } from "../../alert-view.js";
import { parseDuration } from "../../../alerts/duration.js";
import type { MuteStore } from "../../../alerts/mute-store.js";
import type { AuditLog } from "../../../audit/audit-log.js";
import type { BotContext } from "../../context.js";
import { missText } from "../../instance-replies.js";
import { rememberName, type UserNameSink } from "../../user-names.js";
import { onCommand } from "../../commands.js";

export interface MuteFeatureDeps {
  mutes: MuteStore;
  audit: AuditLog;
  /** Who muted, by first name: /audit names them. */
  userNames: UserNameSink;
}

/** `/mute <instance> <duration>` and `/unmute <instance>`: silence alerts during planned work. */
export function muteFeature(deps: MuteFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onCommand(composer, "mute", async (ctx) => {
    const t = ctx.t;
    const names = ctx.access.names();
    const reply = replier(ctx);
    const [name, durationText, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (!name || !durationText || rest.length > 0) return reply(t.alerts.mute.usage(names));
    const found = ctx.access.lookup(name);
    if (!found.found) return reply(missText(ctx, found, name));
    const instance = found.instance;
    const forMs = parseDuration(durationText);
    if (forMs === undefined) return reply(t.alerts.mute.badDuration(durationText));
    const until = Date.now() + forMs;
    const userId = ctx.from?.id ?? 0;
    await deps.mutes.mute(instance.name, until, userId);
    await rememberName(ctx, deps.userNames);
    await deps.audit.record({
      action: "mute",
      userId,
      chatId: ctx.chat.id,
      instance: instance.name,
      result: `until ${new Date(until).toISOString()}`,
    });
    return reply(t.alerts.mute.muted(instance.name, forMs, clock(until, t)));
  });

  onCommand(composer, "unmute", async (ctx) => {
    const t = ctx.t;
    const names = ctx.access.names();
    const reply = replier(ctx);
    const [name, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (!name || rest.length > 0) return reply(t.alerts.mute.unmuteUsage(names));
    const found = ctx.access.lookup(name);
    if (!found.found) return reply(missText(ctx, found, name));
    const instance = found.instance;
    const wasMuted = await deps.mutes.unmute(instance.name);
    await rememberName(ctx, deps.userNames);
    await deps.audit.record({
      action: "unmute",
      userId: ctx.from?.id ?? 0,
      chatId: ctx.chat.id,
      instance: instance.name,
      result: wasMuted ? "done" : "was not muted",
    });
    return reply(
      wasMuted ? t.alerts.mute.unmuted(instance.name) : t.alerts.mute.notMuted(instance.name),
    );
  });

  return composer;
}

function replier(ctx: BotContext & { msg: { message_id: number } }) {
  return (text: string) =>
    ctx.reply(text, {
      parse_mode: "HTML",
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    });
}
