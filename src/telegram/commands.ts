import type { CommandContext, Composer, Middleware } from "grammy";
import type { CommandName } from "../access/rights.js";
import type { BotContext } from "./context.js";

/** Every command some feature handles: the access matrix test compares it with rights.ts. */
const handled = new Set<CommandName>();

export function handledCommands(): ReadonlySet<CommandName> {
  return handled;
}

/**
 * Routes a command by the access guard's own reading of the message (`ctx.command`, from
 * access/command.ts), never by a second parser: what the guard checked is what runs. Only names
 * of the access tables can be routed. `ctx.match` is what follows the command, as with grammY.
 */
export function onCommand(
  composer: Composer<BotContext>,
  names: CommandName | readonly CommandName[],
  ...handlers: Array<Middleware<CommandContext<BotContext>>>
): void {
  const list: readonly string[] = typeof names === "string" ? [names] : names;
  for (const name of list) handled.add(name as CommandName);
  composer.filter(
    (ctx) => ctx.message !== undefined && list.includes(ctx.command?.name ?? ""),
    (ctx, next) => {
      ctx.match = ctx.command?.args ?? "";
      return next();
    },
    ...(handlers as unknown as Array<Middleware<BotContext>>),
  );
}
