/**
 * One confirmation for every destructive action (log out, reboot, log out & new QR, …): armed on
 * the message that asks "Yes/No", for the user who asked, for one action on one instance. A Yes
 * counts once and only within its time: a late press says "expired, ask again", a second press
 * says "already done", anyone else's press changes nothing. Pure; ConfirmationStore keeps them.
 */

export interface PendingConfirmation {
  action: string;
  instance: string;
  userId: number;
}

/** A press on Yes or No: who pressed, for which action and instance. */
export type ConfirmPress = PendingConfirmation;

export type ConfirmDecision =
  /** Do it (the store then takes the confirmation, once). */
  "confirmed" | "already-done" | "expired" | "not-yours";

/**
 * `pending` is what the message was armed with (gone once its time is up), `done` whether a Yes
 * already counted on it.
 */
export function decideConfirmation(
  pending: PendingConfirmation | undefined,
  done: boolean,
  press: ConfirmPress,
): ConfirmDecision {
  if (done) return "already-done";
  if (!pending) return "expired";
  // The message was re-armed for something else since this button was drawn.
  if (pending.action !== press.action || pending.instance !== press.instance) return "expired";
  if (pending.userId !== press.userId) return "not-yours";
  return "confirmed";
}

export function encodePending(pending: PendingConfirmation): string {
  return JSON.stringify([pending.action, pending.instance, pending.userId]);
}

export function decodePending(raw: string | null | undefined): PendingConfirmation | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [action, instance, userId] = value as unknown[];
    if (typeof action !== "string" || typeof instance !== "string") return undefined;
    if (typeof userId !== "number" || !Number.isSafeInteger(userId)) return undefined;
    return { action, instance, userId };
  } catch {
    return undefined;
  }
}
