import type { AuditLog } from "../../../audit/audit-log.js";
import type { SessionStarter } from "../../../qr-session/session-starter.js";
import type { SessionStore } from "../../../qr-session/session-store.js";
import type { Logger } from "../../../shared/logger.js";
import type { BotContext } from "../../context.js";
import type { MessageRef, SessionScreen } from "../../session-screen.js";

export interface QrCancelDeps {
  starter: SessionStarter;
  store: SessionStore;
  screen: SessionScreen;
  audit: AuditLog;
  logger: Logger;
}

/**
 * Cancel on a live QR message: a session still waiting in line ends at once; a running one is
 * asked to stop (its runner ends it within a poll).
 */
export async function cancelQr(
  deps: QrCancelDeps,
  ctx: BotContext,
  instance: string,
  target: MessageRef,
) {
  const { t } = ctx;
  const userId = ctx.from?.id ?? 0;
  const log = deps.logger.child({ instance, userId, chatId: target.chatId });
  const audit = (result: string) =>
    deps.audit.record({ action: "cancel", userId, chatId: target.chatId, instance, result });
  const record = await deps.store.get(instance);
  const isThisMessage = record?.chatId === target.chatId && record.messageId === target.messageId;
  if (!record || !isThisMessage) {
    return ctx.answerCallbackQuery({ text: t.qr.callbacks.sessionEnded });
  }
  // Still waiting in line: nobody polls it, so it ends here and now.
  if (record.runningSince === undefined && (await deps.starter.withdraw(record))) {
    // The answer first: the edit below waits for the chat's turn (pacing), the press must not.
    await ctx.answerCallbackQuery({ text: t.qr.callbacks.cancelled });
    await deps.screen.showEnd(target, instance, { kind: "cancelled", by: userId }, ctx.locale);
    await audit("done");
    log.info(
      { action: "cancel", result: "done", sessionId: record.sessionId },
      "queued QR session cancelled",
    );
    return;
  }
  await deps.store.requestCancel(instance, record.sessionId, userId);
  await audit("requested");
  log.info(
    { action: "cancel", result: "requested", sessionId: record.sessionId },
    "QR session cancel requested",
  );
  return ctx.answerCallbackQuery({ text: t.qr.callbacks.cancelling });
}
