import type { ActionFailure } from "../../../instance-actions/outcome.js";
import { bold as b, escapeHtml } from "../html.js";

/** Why GREEN-API gave nothing; a sentence that follows "…: ". */
const reasons = {
  "credentials-rejected":
    "GREEN-API rejected the credentials (HTTP 401): check idInstance / apiTokenInstance in the instances file.",
  forbidden:
    "GREEN-API refuses this instance (HTTP 403): its account is blocked, or idInstance / apiUrl in the instances file belong to another instance. Check it in the GREEN-API console.",
  "quota-exceeded":
    "the instance's GREEN-API plan is used up (HTTP 466). Pay for or change the plan in the GREEN-API console, or wait until the monthly quota renews.",
  "rate-limited": "GREEN-API is busy with other checks of this instance; try again in a moment.",
};

/**
 * GREEN-API's refusals in plain words, each with its fix, the same in QR sessions, /code and
 * /status (green-api.com/en/docs/api/common-errors, …/api/466-error-example-body).
 */
export const greenApi = {
  reasons,
  /** Why a log out or a reboot did not happen (instance-actions/outcome.ts); follows "…: ". */
  failures: {
    ...reasons,
    declined:
      "GREEN-API answered that it did not do it (false in its answer). Try again in a minute, or check the instance in the GREEN-API console.",
    "server-error": "GREEN-API had a server error (server-error); try again in a few minutes.",
    timeout: "GREEN-API did not answer in time (timeout); try again in a moment.",
    network: "GREEN-API could not be reached (network); try again in a moment.",
    "bad-request":
      "GREEN-API refused the request (bad-request, HTTP 400); check the instance with /status.",
    "invalid-answer": "GREEN-API's answer made no sense (invalid-answer); try again in a moment.",
    failed: "something went wrong on our side; try again in a moment.",
  } satisfies Record<ActionFailure, string>,
  /** One /status line per state. */
  status: {
    forbidden: "🚫 refused by GREEN-API (HTTP 403): account blocked or wrong instance",
    "quota-exceeded": "💳 plan quota used up (HTTP 466): pay or change the plan, or wait",
    busy: "⏳ busy: other checks of it are running, Refresh in a moment",
  },
  /** A quotaExceeded notification GREEN-API sent (webhook), under the instance in /status. */
  quotaNotice: (at: string, what: string) =>
    `📉 GREEN-API said at ${escapeHtml(at)} UTC: quota exceeded${what ? ` (${escapeHtml(what)})` : ""}. Change the plan in the GREEN-API console or wait for the new month.`,
  qrEnds: {
    forbidden: (instance: string) =>
      `🚫 GREEN-API refuses ${b(instance)} (HTTP 403): its account is blocked, or idInstance / apiUrl in the instances file belong to another instance. Check it in the GREEN-API console.`,
    "quota-exceeded": (instance: string) =>
      `💳 The GREEN-API plan of ${b(instance)} is used up (HTTP 466), so it gives no QR. Pay for or change the plan in the GREEN-API console, or wait until the monthly quota renews.`,
  },
};
