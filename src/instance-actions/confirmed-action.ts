import type { PendingConfirmation } from "../access/confirmation.js";
import type { ConfirmationStore, MessageAddress } from "../access/confirmation-store.js";
import type { ActionRequest, InstanceActions } from "./instance-actions.js";
import type { ActionResult, InstanceAction } from "./outcome.js";

/**
 * The name each action is armed under on its Yes/No message. Kept as they were before the actions
 * had one flow, so that a question asked just before an upgrade is still answered after it.
 */
const ARMED_AS: Record<InstanceAction, string> = {
  logout: "logout",
  reboot: "reboot",
  "logout-for-qr": "logout",
  "logout-for-code": "code-logout",
};

export interface ConfirmedActionDeps {
  confirmations: ConfirmationStore;
  actions: InstanceActions;
}

/** What a Yes press came to: not run (and why), or run with its result. */
export type StepOutcome<Result> =
  | { kind: "not-yours" }
  | { kind: "already-done" }
  /** Too late, or the message now asks about something else: nothing happened. */
  | { kind: "expired" }
  /** Confirmed, but the caller found it could not go on (`onConfirmed` said false). */
  | { kind: "stopped" }
  | { kind: "ran"; result: Result };

export type ConfirmedOutcome = StepOutcome<ActionResult>;

/** Shows the Yes/No on `message` for this user, action and instance (again, if it was shown). */
export function askToConfirm(
  confirmations: ConfirmationStore,
  message: MessageAddress,
  press: { action: InstanceAction; instance: string; userId: number },
): Promise<void> {
  return confirmations.arm(message, { ...press, action: ARMED_AS[press.action] });
}

/**
 * A press on Yes: the action runs once, only for the user who asked and only in time (the
 * confirmation decides, access/confirmation.ts). `onConfirmed` runs first, once the press counted
 * (say "working…"; false: it cannot go on; a throw: nothing ran and the question is armed again).
 */
export async function confirmedAction(
  deps: ConfirmedActionDeps,
  message: MessageAddress,
  request: ActionRequest,
  onConfirmed: () => Promise<boolean | void>,
): Promise<ConfirmedOutcome> {
  const pending = {
    action: ARMED_AS[request.action],
    instance: request.instance.name,
    userId: request.userId,
  };
  return confirmedStep(deps.confirmations, message, pending, onConfirmed, () =>
    deps.actions.run(request),
  );
}

/**
 * The same for a change of another core (/webhook): `pending` is what the message was armed with
 * (`confirmations.arm`), `run` the change, run once on the asker's timely Yes.
 */
export async function confirmedStep<Result>(
  confirmations: ConfirmationStore,
  message: MessageAddress,
  pending: PendingConfirmation,
  onConfirmed: () => Promise<boolean | void>,
  run: () => Promise<Result>,
): Promise<StepOutcome<Result>> {
  const decision = await confirmations.take(message, pending);
  if (decision !== "confirmed") return { kind: decision };
  let goOn: boolean | void;
  try {
    goOn = await onConfirmed();
  } catch (error) {
    // Telegram refused the "working…" step and nothing was done: the question stands again, so
    // that the next Yes runs it instead of answering "already done" for an action never run.
    await confirmations.arm(message, pending).catch(() => undefined);
    throw error;
  }
  if (goOn === false) return { kind: "stopped" };
  return { kind: "ran", result: await run() };
}
