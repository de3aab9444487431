import { InlineKeyboard } from "grammy";
import { encodeQrCallback, type QrAction } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

const qrButton = (label: string, action: QrAction, instance: string) =>
  InlineKeyboard.text(label, encodeQrCallback({ action, instance }));

/** The buttons of QR session messages, in the language of whoever started the session. */
export function qrKeyboards(t: Texts) {
  const b = t.qr.buttons;
  return {
    liveQr: (instance: string) => new InlineKeyboard([[qrButton(b.cancel, "cancel", instance)]]),
    newQr: (instance: string) => new InlineKeyboard([[qrButton(b.newQr, "new", instance)]]),
    logoutAndQr: (instance: string) =>
      new InlineKeyboard([[qrButton(b.logoutAndQr, "logout", instance)]]),
    logout: (instance: string) => new InlineKeyboard([[qrButton(b.logout, "logout", instance)]]),
    confirmLogout: (instance: string) =>
      new InlineKeyboard([
        [
          qrButton(b.confirmLogout, "logout-yes", instance),
          qrButton(b.keep, "logout-no", instance),
        ],
      ]),
  };
}
