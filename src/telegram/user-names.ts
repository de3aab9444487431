import type { BotContext } from "./context.js";

/** Where the bot keeps team members' first names (access/user-names.ts). */
export interface UserNameSink {
  remember(userId: number, firstName: string): Promise<void>;
}

/**
 * Remembers the first name of whoever starts linking an instance (a QR, a pairing code), claims
 * an incident, logs out, reboots or mutes, for "linked by Ivan", "Ivan is on it" and /audit. Only
 * then: a refused press or a mere /status writes nothing. A failure to write it never stops the
 * action.
 */
export async function rememberName(ctx: BotContext, names: UserNameSink) {
  const from = ctx.from;
  if (!from || from.is_bot) return;
  await names.remember(from.id, from.first_name).catch(() => undefined);
}
