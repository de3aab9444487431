import { InlineKeyboard } from "grammy";
import { adminCallbacks } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

export type AdminAction = "logout" | "reboot";

/** Yes (this action on this instance) and No, under the question. */
export function confirmKeyboard(action: AdminAction, instance: string, t: Texts): InlineKeyboard {
  const c = t.toolkit.confirm;
  return new InlineKeyboard()
    .text(
      action === "logout" ? c.yesLogout : c.yesReboot,
      adminCallbacks.encode({
        action: action === "logout" ? "logout-yes" : "reboot-yes",
        instance,
      }),
    )
    .text(c.no, adminCallbacks.encode({ action: "no", instance }));
}
