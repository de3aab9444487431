import type { ConfirmationStore } from "../../../access/confirmation-store.js";
import type { Instance } from "../../../config/index.js";
import { askToConfirm, confirmedAction } from "../../../instance-actions/confirmed-action.js";
import type { InstanceActions } from "../../../instance-actions/instance-actions.js";
import type { PairingStore } from "../../../pairing/pairing-store.js";
import type { BotContext } from "../../context.js";
import { phoneForChat } from "../../phone-privacy.js";
import type { MessageRef } from "../../session-screen.js";
import { codeKeyboards } from "./keyboard.js";
import { answerNotRun } from "../../confirm-answers.js";

export interface CodeLogoutDeps {
  confirmations: ConfirmationStore;
  actions: InstanceActions;
  pairingStore: PairingStore;
}

/**
 * "Log out & get a code" on a code message of a linked instance: a Yes/No on the same message,
 * and on Yes the log out, then a code for the number the message was for (`codeAfter`). A
 * failed log out says why and keeps the button.
 *
 * Longer than a handler should be as a whole: it is three short ones (ask, no, yes) sharing one
 * press's message and reader, which is why they sit together.
 */
export function codeLogout(deps: CodeLogoutDeps, ctx: BotContext, target: MessageRef) {
  const { t } = ctx;
  const userId = ctx.from?.id ?? 0;
  const phoneOfMessage = () => deps.pairingStore.phoneFor(target.chatId, target.messageId);
  const showKept = (instance: string) =>
    ctx.editMessageText(t.code.logoutKept(instance), {
      parse_mode: "HTML",
      reply_markup: codeKeyboards(t).logoutForCode(instance),
    });

  return {
    async ask(instance: string) {
      const phone = await phoneOfMessage();
      if (!phone) return ctx.answerCallbackQuery({ text: t.code.callbacks.noPhone });
      await ctx.answerCallbackQuery({ text: t.code.callbacks.confirmLogout });
      await askToConfirm(deps.confirmations, target, {
        action: "logout-for-code",
        instance,
        userId,
      });
      await ctx.editMessageText(
        t.code.confirmLogout(instance, phoneForChat(phone, target.chatId)),
        { parse_mode: "HTML", reply_markup: codeKeyboards(t).confirmLogout(instance) },
      );
    },

    async no(instance: string) {
      const decision = await deps.confirmations.withdraw(target, userId);
      if (decision === "not-yours")
        return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance) });
      await ctx.answerCallbackQuery();
      if (decision !== "already-done") await showKept(instance);
    },

    async yes(instance: Instance, codeAfter: (phone: string) => Promise<unknown>) {
      const name = instance.name;
      let phone: string | undefined;
      const request = {
        action: "logout-for-code" as const,
        instance,
        userId,
        chatId: target.chatId,
      };
      const outcome = await confirmedAction(deps, target, request, async () => {
        phone = await phoneOfMessage();
        if (!phone) {
          await ctx.answerCallbackQuery({ text: t.code.callbacks.noPhone });
          return false;
        }
        await ctx.answerCallbackQuery({ text: t.code.callbacks.loggingOut });
        await ctx.editMessageText(t.code.loggingOut(name), { parse_mode: "HTML" });
      });
      if (outcome.kind !== "ran")
        return answerNotRun(ctx, outcome, name, async () => {
          await ctx.answerCallbackQuery({ text: t.access.confirm.expired });
          await showKept(name);
        });
      // The code for the same number, where a code may be shown (this message, or privately).
      if (outcome.result.ok) return phone && codeAfter(phone);
      await ctx.editMessageText(
        t.code.logoutFailed(name, t.greenApi.failures[outcome.result.reason]),
        { parse_mode: "HTML", reply_markup: codeKeyboards(t).logoutForCode(name) },
      );
    },
  };
}
