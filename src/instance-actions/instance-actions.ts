import type { Instance } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import {
  type ActionResult,
  AUDIT_ACTION,
  auditResult,
  type InstanceAction,
  resultOfAnswer,
  resultOfError,
} from "./outcome.js";
import type { ActionAudit, InstanceCalls } from "./ports.js";

export interface ActionRequest {
  action: InstanceAction;
  instance: Instance;
  /** Who confirmed it, in which chat: the audit entry's user and chat. */
  userId: number;
  chatId: number;
}

/**
 * How long GREEN-API may still answer as if logged in after a logout: a QR session started right
 * after it waits this long before it believes "authorized" (SessionRecord.graceUntil).
 */
export const AFTER_LOGOUT_GRACE_MS = 30_000;

/**
 * The one flow of every action on an instance: one GREEN-API call, its answer read the same way
 * everywhere (`isLogout: false` is a failure), one audit entry. What comes next (a new QR, a
 * pairing code) is the caller's, on success only.
 */
export class InstanceActions {
  constructor(
    private readonly deps: { calls: InstanceCalls; audit: ActionAudit; logger: Logger },
  ) {}

  async run(request: ActionRequest): Promise<ActionResult> {
    const { action, instance, userId, chatId } = request;
    const call = AUDIT_ACTION[action];
    let result: ActionResult;
    try {
      result = resultOfAnswer(await this.deps.calls[call](instance));
    } catch (error) {
      // GreenApiError's message names the instance and the method, never the token.
      this.deps.logger.warn({ err: error, instance: instance.name, action }, `${call} failed`);
      result = resultOfError(error);
    }
    await this.deps.audit.record({
      action: call,
      userId,
      chatId,
      instance: instance.name,
      result: auditResult(result),
    });
    return result;
  }
}
