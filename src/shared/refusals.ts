/**
 * Refusals of people and requests without a right or a secret: logged at debug only (a flood
 * must not become a log flood) and counted here. The labels are these fixed words, never an id,
 * so the metric stays small whoever knocks.
 */
export type RefusalWhere = "green-api-webhook" | "telegram-webhook" | "bot";

export type RefusalReason =
  /** No secret, or a wrong one (webhooks). */
  | "wrong-secret"
  /** A known instance's token on a notification that names another instance. */
  | "wrong-instance"
  | "body-too-large"
  /** An update from somebody not on the team. */
  | "not-on-team"
  /** A command or button the access tables do not know, or an edited message. */
  | "unknown-action"
  /** Set-up mode: anybody gets their id once per cooldown, no more. */
  | "setup-mode"
  /** A stranger's update dropped inside their reply cooldown. */
  | "cooldown";

export interface RefusalCounter {
  refused(where: RefusalWhere, reason: RefusalReason): void;
}

/** For the parts that count nothing (tests of one piece). */
export const uncounted: RefusalCounter = { refused: () => undefined };
