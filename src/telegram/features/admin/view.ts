import type { ActionResult } from "../../../instance-actions/outcome.js";
import type { Texts } from "../../i18n/index.js";
import { type AdminAction, confirmKeyboard } from "./keyboard.js";

/** "Log out shop?" / "Reboot shop?" with its Yes and No. */
export function confirmation(action: AdminAction, instance: string, t: Texts) {
  const c = t.toolkit.confirm;
  return {
    text: action === "logout" ? c.logout(instance) : c.reboot(instance),
    keyboard: confirmKeyboard(action, instance, t),
  };
}

/** What the confirmed action came to, in the reader's words (GREEN-API's own never shown). */
export function resultText(
  action: AdminAction,
  instance: string,
  result: ActionResult,
  t: Texts,
): string {
  const c = t.toolkit.confirm;
  if (!result.ok) return c.failed(instance, t.greenApi.failures[result.reason]);
  return action === "logout" ? c.loggedOut(instance) : c.rebooted(instance);
}
