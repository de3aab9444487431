import type { Lookup } from "../access/access.js";
import type { BotContext } from "./context.js";

type Miss = Extract<Lookup, { found: false }>;

/**
 * The reply to a name that did not resolve: "unknown" (with the names this user may use) when
 * the instance does not exist for them, "forbidden" (their role and what it needs) when they see
 * it but may not do this.
 */
export function missText(ctx: BotContext, miss: Miss, typed: string): string {
  if (miss.reason === "forbidden")
    return ctx.t.access.forbidden(miss.instance.name, miss.role, ctx.access.right);
  const names = ctx.access.names();
  // Nothing they could name would do: say what it takes, not "known: (nothing)".
  if (names.length === 0) return ctx.t.access.needs(ctx.access.right);
  return ctx.t.unknownInstance(typed, names);
}

/** The same for a button: a short answer, since a button's instance was shown to them. */
export function missAnswer(ctx: BotContext, miss: Miss): string {
  return miss.reason === "forbidden"
    ? ctx.t.access.forbiddenShort(miss.role, ctx.access.right)
    : ctx.t.callbacks.stale;
}
