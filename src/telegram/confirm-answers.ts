import type { ConfirmedOutcome } from "../instance-actions/confirmed-action.js";
import type { BotContext } from "./context.js";

type NotRun = Exclude<ConfirmedOutcome, { kind: "ran" }>;

/**
 * What a Yes press says when it ran nothing: not the asker's, already done, too late, or stopped by
 * the feature itself. The same words on every Yes/No (log out, reboot, log out & QR or code); only
 * what a late press leaves on screen differs per feature (`onExpired`).
 */
export async function answerNotRun(
  ctx: BotContext,
  outcome: NotRun,
  instance: string,
  onExpired: () => Promise<unknown>,
): Promise<void> {
  const { confirm } = ctx.t.access;
  switch (outcome.kind) {
    case "not-yours":
      await ctx.answerCallbackQuery({ text: confirm.notYours(instance) });
      return;
    case "already-done":
      await ctx.answerCallbackQuery({ text: confirm.alreadyDone });
      return;
    case "expired":
      await onExpired();
      return;
    case "stopped":
      return;
  }
}
