/**
 * The relay's decisions, pure: whether a notification may be queued, when a refused forward is
 * tried again, when it is dead-lettered, and when an application's failure is worth an alert.
 * relay-store.ts applies `admit` inside Redis (a Lua script that mirrors it, checked against the
 * same table in test/unit/relay/relay-store.test.ts); relay-worker.ts applies the others.
 */

export interface RelayLimits {
  /** FORWARD_QUEUE_MAX: notifications kept per instance. */
  maxPerInstance: number;
  /** FORWARD_QUEUE_MAX_BYTES: bytes kept for every application together. */
  maxBytes: number;
}

export type Admission = "accept" | "instance-full" | "bytes-full";

/** Whether one more notification of `size` bytes fits; refused ones get a 503 (GREEN-API keeps them). */
export function admit(
  now: { instanceCount: number; totalBytes: number },
  size: number,
  limits: RelayLimits,
): Admission {
  if (now.instanceCount >= limits.maxPerInstance) return "instance-full";
  if (now.totalBytes + size > limits.maxBytes) return "bytes-full";
  return "accept";
}

/**
 * Retry-After of a 503 for a full backlog. GREEN-API documents no use of the header and sends
 * again about a minute later anyway (REAL-API.md); it is said for any other sender.
 */
export const FULL_RETRY_AFTER_SECONDS = 60;

export interface Backoff {
  firstMs: number;
  capMs: number;
}

/** 1 s, 2 s, 4 s … up to a minute: an application back from an outage waits a minute at most. */
export const DEFAULT_BACKOFF: Backoff = { firstMs: 1_000, capMs: 60_000 };

/** The wait before try number `failures + 1`, after `failures` (≥ 1) failed tries in a row. */
export function retryDelayMs(failures: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(backoff.capMs, backoff.firstMs * 2 ** exponent);
}

export type AfterFailure = { kind: "retry"; at: number } | { kind: "dead-letter" };

/**
 * A forward failed: try again later, or, once the notification is older than `maxAgeMs`
 * (FORWARD_MAX_AGE_MS, GREEN-API's own 24 h), move it to the dead letters (kept and counted).
 */
export function afterFailure(
  notification: { queuedAt: number },
  failures: number,
  now: number,
  options: { maxAgeMs: number; backoff?: Backoff },
): AfterFailure {
  if (now - notification.queuedAt >= options.maxAgeMs) return { kind: "dead-letter" };
  return { kind: "retry", at: now + retryDelayMs(failures, options.backoff) };
}

/** What is remembered of an application that fails (Redis, per instance). */
export interface FailureState {
  /** When the first failed forward of this streak happened. */
  failingSince?: number;
  /** Failed forwards in a row. */
  failures: number;
  /** The "failing" alert went out for this streak. */
  alerted: boolean;
}

export const HEALTHY: FailureState = { failures: 0, alerted: false };

export type RelayNoticeKind = "failing" | "recovered";

/**
 * One forward's outcome applied to the failure state: the state to keep and the message to send,
 * if any. "failing" once per streak, when it has lasted `alertAfterMs` (FORWARD_ALERT_AFTER_MS);
 * "recovered" only after a "failing" was sent, so a blip says nothing at all.
 */
export function alertStep(
  state: FailureState,
  outcome: "delivered" | "failed",
  now: number,
  alertAfterMs: number,
): { state: FailureState; notice?: RelayNoticeKind } {
  if (outcome === "delivered") {
    return state.alerted ? { state: HEALTHY, notice: "recovered" } : { state: HEALTHY };
  }
  const failingSince = state.failingSince ?? now;
  const next = { failingSince, failures: state.failures + 1, alerted: state.alerted };
  if (!state.alerted && now - failingSince >= alertAfterMs) {
    return { state: { ...next, alerted: true }, notice: "failing" };
  }
  return { state: next };
}
