/**
 * Why a GREEN-API call failed, in terms a caller can act on. Messages never contain the request
 * URL, whose path carries the instance token.
 */
export type GreenApiFailure =
  | "unauthorized" // 401: wrong apiTokenInstance
  | "forbidden" // 403: wrong idInstance or URL
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

  /** The credentials are wrong: retrying will not help. */
  get isCredentialsRejected(): boolean {
    return this.failure === "unauthorized" || this.failure === "forbidden";
  }

  /** Worth another try after a pause. */
  get isTransient(): boolean {
    return ["rate-limited", "server-error", "timeout", "network", "invalid-answer"].includes(
      this.failure,
    );
  }
}

export function failureOfStatus(status: number): GreenApiFailure {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 429) return "rate-limited";
  if (status === 466) return "quota-exceeded";
  if (status >= 500) return "server-error";
  return "bad-request";
}
