import { GreenApiError, type GreenApiEndState, type GreenApiFailure } from "../green-api/errors.js";

/**
 * What an admin can do to an instance from a chat, each behind a confirmation: log it out,
 * reboot it, or log it out to link it again at once by a new QR or a pairing code.
 */
export type InstanceAction = "logout" | "reboot" | "logout-for-qr" | "logout-for-code";

/**
 * Why an action did not happen, as a key the screens word in the reader's language
 * (telegram/i18n `greenApi.failures`). `declined`: GREEN-API answered `isLogout: false` or
 * `isReboot: false` (the call worked, the action did not: green-api.com/en/docs/api/account/Logout).
 */
export type ActionFailure =
  | GreenApiEndState
  | "rate-limited"
  | "declined"
  | "server-error"
  | "timeout"
  | "network"
  | "bad-request"
  | "invalid-answer"
  | "failed";

export type ActionResult = { ok: true } | { ok: false; reason: ActionFailure };

/** The audit log's action for each: a log out is a log out, whatever comes after it. */
export const AUDIT_ACTION = {
  logout: "logout",
  reboot: "reboot",
  "logout-for-qr": "logout",
  "logout-for-code": "logout",
} as const satisfies Record<InstanceAction, "logout" | "reboot">;

/** GREEN-API's answer (`isLogout` / `isReboot`) as a result: false is a failure, not "done". */
export function resultOfAnswer(done: boolean): ActionResult {
  return done ? { ok: true } : { ok: false, reason: "declined" };
}

/** Each GREEN-API failure as a reason: 401/403/466 by their end state (each has its own fix). */
const REASON_OF: Record<GreenApiFailure, ActionFailure> = {
  unauthorized: "credentials-rejected",
  forbidden: "forbidden",
  "quota-exceeded": "quota-exceeded",
  "rate-limited": "rate-limited",
  "bad-request": "bad-request",
  "server-error": "server-error",
  timeout: "timeout",
  network: "network",
  "invalid-answer": "invalid-answer",
};

/** A failed call as a result; anything but a GreenApiError is "failed". */
export function resultOfError(error: unknown): ActionResult {
  const reason = error instanceof GreenApiError ? REASON_OF[error.failure] : "failed";
  return { ok: false, reason };
}

/** The audit entry's short outcome: "done" or "failed: <reason>". */
export function auditResult(result: ActionResult): string {
  return result.ok ? "done" : `failed: ${result.reason}`;
}
