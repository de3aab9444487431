import type { Closure } from "../shared/closure.js";

/** How a QR session ends; each shown end replaces the QR with a status card and offers the fix. */
export type SessionEnd =
  | { kind: "authorized"; phone?: string; closure?: Closure }
  | { kind: "already-authorized" }
  | { kind: "needs-logout" }
  | { kind: "credentials-rejected" }
  /** GREEN-API answered 403: the account is blocked, or the instance is not this one. */
  | { kind: "forbidden" }
  /** GREEN-API answered 466: the plan's quota is used up (pay, change the plan, or wait). */
  | { kind: "quota-exceeded" }
  | { kind: "expired" }
  | { kind: "cancelled"; by: number }
  | { kind: "failed" };

/** Ends nobody is shown: the message is gone, or the session was replaced. */
export type QuietEnd = { kind: "message-gone" } | { kind: "replaced" };

export type SessionOutcome = SessionEnd | QuietEnd | { kind: "suspended" };
