import type { ConfirmationStore } from "../../../access/confirmation-store.js";
import type { Instance } from "../../../config/index.js";
import { askToConfirm, confirmedAction } from "../../../instance-actions/confirmed-action.js";
import {
  AFTER_LOGOUT_GRACE_MS,
  type InstanceActions,
} from "../../../instance-actions/instance-actions.js";
import type { BotContext } from "../../context.js";
import type { MessageRef, SessionScreen } from "../../session-screen.js";
import { qrKeyboards } from "./keyboard.js";
import { answerNotRun } from "../../confirm-answers.js";

export interface QrLogoutDeps {
  screen: SessionScreen;
  confirmations: ConfirmationStore;
  actions: InstanceActions;
}

/**
 * "Log out & new QR" on a QR message whose instance holds a dead login ("need logout") or is
 * already authorized: a Yes/No on the same message, and on Yes the log out, then a new session
 * (`startAfter`) on it. A failed log out says why and keeps the button.
 *
 * Three short handlers (ask, no, yes) sharing one press's message and reader.
 */
export function qrLogout(deps: QrLogoutDeps, ctx: BotContext, target: MessageRef) {
  const { t } = ctx;
  const keyboards = qrKeyboards(t);
  const userId = ctx.from?.id ?? 0;
  const keep = (instance: string) =>
    deps.screen.showButtons(target, t.qr.logoutKept(instance), keyboards.logoutAndQr(instance));

  return {
    async ask(instance: string) {
      await ctx.answerCallbackQuery({ text: t.qr.callbacks.confirmLogout });
      await askToConfirm(deps.confirmations, target, {
        action: "logout-for-qr",
        instance,
        userId,
      });
      await deps.screen.showButtons(
        target,
        t.qr.confirmLogout(instance),
        keyboards.confirmLogout(instance),
      );
    },

    async no(instance: string) {
      const decision = await deps.confirmations.withdraw(target, userId);
      if (decision === "not-yours")
        return ctx.answerCallbackQuery({ text: t.access.confirm.notYours(instance) });
      await ctx.answerCallbackQuery();
      if (decision !== "already-done") await keep(instance);
    },

    async yes(instance: Instance, startAfter: (graceMs: number) => Promise<void>) {
      const name = instance.name;
      const request = { action: "logout-for-qr" as const, instance, userId, chatId: target.chatId };
      const outcome = await confirmedAction(deps, target, request, async () => {
        await ctx.answerCallbackQuery({ text: t.qr.callbacks.loggingOut });
        await deps.screen.showLoggingOut(target, name, ctx.locale);
      });
      if (outcome.kind !== "ran")
        return answerNotRun(ctx, outcome, name, async () => {
          await ctx.answerCallbackQuery({ text: t.access.confirm.expired });
          await keep(name);
        });
      if (outcome.result.ok) return startAfter(AFTER_LOGOUT_GRACE_MS);
      await deps.screen.showEnd(target, name, { kind: "needs-logout" }, ctx.locale);
      await deps.screen.showButtons(
        target,
        t.qr.logoutFailed(name, t.greenApi.failures[outcome.result.reason]),
        keyboards.logoutAndQr(name),
      );
    },
  };
}
