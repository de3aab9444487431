import { Composer, InlineKeyboard } from "grammy";
import type { Redis } from "ioredis";
import type { AuditLog } from "../../audit/audit-log.js";
import type { Instance, InstanceRegistry } from "../../config/index.js";
import type { GreenApiClient } from "../../green-api/client.js";
import { GreenApiError } from "../../green-api/errors.js";
import { adminCallbacks } from "../callback-data.js";
import type { BotContext } from "../context.js";
import type { Texts } from "../i18n/index.js";
import { instancePicker } from "../keyboards.js";

export interface AdminFeatureDeps {
  instances: InstanceRegistry;
  greenApi: GreenApiClient;
  audit: AuditLog;
  redis: Redis;
  prefix: string;
  /** A confirmation older than this does nothing (the issue says 60 s). */
  confirmTtlMs: number;
}

type AdminAction = "logout" | "reboot";

/**
 * `/logout <instance>` and `/reboot <instance>`, each behind a Yes/No that expires. A pending
 * confirmation is a Redis key per message, taken once: a double tap or a late tap does nothing.
 */
export function adminFeature(deps: AdminFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const confirmKey = (chatId: number, messageId: number) =>
    `${deps.prefix}:confirm:${chatId}:${messageId}`;

  const confirmation = (action: AdminAction, instance: string, t: Texts) => ({
    text:
      action === "logout" ? t.toolkit.confirm.logout(instance) : t.toolkit.confirm.reboot(instance),
    keyboard: new InlineKeyboard()
      .text(
        action === "logout" ? t.toolkit.confirm.yesLogout : t.toolkit.confirm.yesReboot,
        adminCallbacks.encode({
          action: action === "logout" ? "logout-yes" : "reboot-yes",
          instance,
        }),
      )
      .text(t.toolkit.confirm.no, adminCallbacks.encode({ action: "no", instance })),
  });

  const arm = (chatId: number, messageId: number, action: AdminAction, instance: string) =>
    deps.redis.set(confirmKey(chatId, messageId), `${action}:${instance}`, "PX", deps.confirmTtlMs);

  for (const action of ["logout", "reboot"] as const) {
    composer.command(action, async (ctx) => {
      const userId = ctx.from?.id ?? 0;
      const visible = deps.instances.visibleTo(userId).map((i) => i.name);
      const argument = ctx.match.trim();
      if (!argument) {
        if (visible.length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
        return ctx.reply(ctx.t.toolkit.pick[action], {
          reply_markup: instancePicker(visible, (instance) =>
            adminCallbacks.encode({ action, instance }),
          ),
        });
      }
      const instance = deps.instances.findFor(userId, argument);
      if (!instance)
        return ctx.reply(ctx.t.unknownInstance(argument, visible), { parse_mode: "HTML" });
      const { text, keyboard } = confirmation(action, instance.name, ctx.t);
      const message = await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
      await arm(ctx.chat.id, message.message_id, action, instance.name);
    });
  }

  composer.callbackQuery(adminCallbacks.pattern, async (ctx) => {
    const callback = adminCallbacks.decode(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    const instance = callback && deps.instances.findFor(ctx.from.id, callback.instance);
    if (!callback || !instance || !message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const { t } = ctx;
    const key = confirmKey(message.chat.id, message.message_id);
    switch (callback.action) {
      case "logout":
      case "reboot": {
        await ctx.answerCallbackQuery();
        const { text, keyboard } = confirmation(callback.action, instance.name, t);
        await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard });
        await arm(message.chat.id, message.message_id, callback.action, instance.name);
        return;
      }
      case "no": {
        await deps.redis.del(key);
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(t.toolkit.confirm.kept(instance.name), { parse_mode: "HTML" });
        return;
      }
      case "logout-yes":
      case "reboot-yes": {
        const action: AdminAction = callback.action === "logout-yes" ? "logout" : "reboot";
        const armed = await deps.redis.getdel(key);
        await ctx.answerCallbackQuery();
        if (armed !== `${action}:${instance.name}`) {
          await ctx.editMessageText(t.toolkit.confirm.expired, { parse_mode: "HTML" });
          return;
        }
        await ctx.editMessageText(t.toolkit.confirm.working(instance.name), { parse_mode: "HTML" });
        const result = await run(deps, action, instance);
        await deps.audit.record({
          action,
          userId: ctx.from.id,
          chatId: message.chat.id,
          instance: instance.name,
          result: result.ok ? "done" : `failed: ${result.reason}`,
        });
        const done = action === "logout" ? t.toolkit.confirm.loggedOut : t.toolkit.confirm.rebooted;
        await ctx.editMessageText(
          result.ok ? done(instance.name) : t.toolkit.confirm.failed(instance.name, result.reason),
          { parse_mode: "HTML" },
        );
        return;
      }
    }
  });

  return composer;
}

async function run(
  deps: AdminFeatureDeps,
  action: AdminAction,
  instance: Instance,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const ok =
      action === "logout"
        ? await deps.greenApi.logout(instance)
        : await deps.greenApi.reboot(instance);
    return ok ? { ok: true } : { ok: false, reason: "GREEN-API declined" };
  } catch (error) {
    if (error instanceof GreenApiError) {
      return {
        ok: false,
        reason: error.isCredentialsRejected ? "credentials rejected" : error.failure,
      };
    }
    return { ok: false, reason: "failed" };
  }
}
