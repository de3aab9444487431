/**
 * Why a GREEN-API call failed, in terms a caller can act on. Messages never contain the request
 * URL, whose path carries the instance token.
 */
export type GreenApiFailure =
  | "unauthorized" // 401: wrong apiTokenInstance
  | "forbidden" // 403: blocked account, wrong idInstance or URL
  | "rate-limited" // 429
  | "quota-exceeded" // 466: plan quota
  | "bad-request" // 400: starting, not authorized, expired…
  | "server-error" // 5xx
  | "timeout" // no answer within the request timeout
  | "network" // connection refused, reset, DNS
  | "invalid-answer"; // not JSON, or JSON of the wrong shape

export class GreenApiError extends Error {
  override name = "GreenApiError";

  constructor(
    readonly failure: GreenApiFailure,
    readonly method: string,
    readonly instanceName: string,
    readonly status?: number,
    detail?: string,
  ) {
    super(
      `GREEN-API ${method} for ${instanceName} failed: ${failure}${status ? ` (HTTP ${status})` : ""}${detail ? `: ${detail}` : ""}`,
    );
  }

  /** The apiTokenInstance is wrong (401): retrying will not help. */
  get isCredentialsRejected(): boolean {
    return this.failure === "unauthorized";
  }

  /**
   * An answer that ends whatever asked, each with its own fix (green-api.com/en/docs/api/common-errors):
   * 401 wrong token, 403 blocked account or wrong instance, 466 the plan's quota is used up.
   */
  get endState(): GreenApiEndState | undefined {
    return END_STATES[this.failure];
  }

  /** Worth another try after a pause. */
  get isTransient(): boolean {
    return ["rate-limited", "server-error", "timeout", "network", "invalid-answer"].includes(
      this.failure,
    );
  }
}

/** The GREEN-API answers that end a QR session, a /code request or a check, as shown to people. */
export type GreenApiEndState = "credentials-rejected" | "forbidden" | "quota-exceeded";

const END_STATES: Partial<Record<GreenApiFailure, GreenApiEndState>> = {
  unauthorized: "credentials-rejected",
  forbidden: "forbidden",
  "quota-exceeded": "quota-exceeded",
};

/** The end state of a failed call, if it has one (see GreenApiError.endState). */
export function endStateOf(error: unknown): GreenApiEndState | undefined {
  return error instanceof GreenApiError ? error.endState : undefined;
}

export function failureOfStatus(status: number): GreenApiFailure {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 429) return "rate-limited";
  if (status === 466) return "quota-exceeded";
  if (status >= 500) return "server-error";
  return "bad-request";
}
