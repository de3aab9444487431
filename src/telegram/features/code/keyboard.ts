import { InlineKeyboard } from "grammy";
import { adminCallbacks, codeCallbacks } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

/**
 * Buttons of pairing-code messages. A table of keyboards, one short entry each: longer than a
 * function should be, not harder to read.
 */
export function codeKeyboards(t: Texts) {
  return {
    afterCode: (instance: string) =>
      new InlineKeyboard([
        [
          InlineKeyboard.text(
            t.code.buttons.newCode,
            codeCallbacks.encode({ action: "new", instance }),
          ),
          InlineKeyboard.text(
            t.code.buttons.qrInstead,
            codeCallbacks.encode({ action: "qr", instance }),
          ),
        ],
        // A wrong number (a wrong country guessed, a typo): ask for it again, as "ask" does.
        [
          InlineKeyboard.text(
            t.code.buttons.anotherNumber,
            codeCallbacks.encode({ action: "ask", instance }),
          ),
        ],
      ]),
    /** An authorized instance: log out (confirmed), then a code for the same number. */
    logoutForCode: (instance: string) =>
      new InlineKeyboard([
        [
          InlineKeyboard.text(
            t.code.buttons.logoutForCode,
            codeCallbacks.encode({ action: "logout", instance }),
          ),
        ],
      ]),
    confirmLogout: (instance: string) =>
      new InlineKeyboard([
        [
          InlineKeyboard.text(
            t.code.buttons.confirmLogout,
            codeCallbacks.encode({ action: "logout-yes", instance }),
          ),
          InlineKeyboard.text(
            t.code.buttons.keep,
            codeCallbacks.encode({ action: "logout-no", instance }),
          ),
        ],
      ]),
    /** A starting instance: try again later; an admin may reboot it (the admin reboot flow). */
    whileStarting: (instance: string, mayReboot: boolean) =>
      new InlineKeyboard([
        [
          ...(mayReboot
            ? [
                InlineKeyboard.text(
                  t.code.buttons.reboot,
                  adminCallbacks.encode({ action: "reboot", instance }),
                ),
              ]
            : []),
          InlineKeyboard.text(
            t.code.buttons.newCode,
            codeCallbacks.encode({ action: "new", instance }),
          ),
        ],
      ]),
  };
}
