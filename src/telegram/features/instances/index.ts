import { Composer } from "grammy";
import type { InstanceRegistry } from "../../../config/index.js";
import type { BotContext } from "../../context.js";
import { billingDate } from "../../../shared/time-format.js";
import { onCommand } from "../../commands.js";

/** Lines /instances lists: Telegram's limit is 4096 characters. */
const SHOWN = 60;

export interface InstancesFeatureDeps {
  instances: InstanceRegistry;
}

/**
 * `/instances` (admins): every instance the reader administers, with where greenlight learned of
 * it (the instances file or the GREEN-API partner account) and, from the account, its paid date.
 */
export function instancesFeature(deps: InstancesFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onCommand(composer, "instances", async (ctx) => {
    // Asked here too, not only through the access tables: admin-only whatever the guard decided.
    const mine = new Set(ctx.access.names("administer"));
    if (mine.size === 0) return ctx.reply(ctx.t.access.needs("administer"));
    const f = ctx.t.fleet.list;
    const list = deps.instances.all().filter((instance) => mine.has(instance.name));
    const fromAccount = list.filter((instance) => instance.source === "account").length;
    const lines = list
      .slice(0, SHOWN)
      .map((instance) =>
        f.line(
          instance.name,
          instance.idInstance,
          instance.source ?? "file",
          instance.account?.expiresAt ? billingDate(instance.account.expiresAt) : undefined,
        ),
      );
    if (list.length > SHOWN) lines.push(f.more(list.length - SHOWN));
    await ctx.reply([f.title(list.length, fromAccount), ...lines].join("\n"), {
      parse_mode: "HTML",
    });
  });
  return composer;
}
