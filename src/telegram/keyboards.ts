import { InlineKeyboard } from "grammy";
import { encodeQrCallback } from "./callback-data.js";
import { texts } from "./texts.js";

const button = (
  label: string,
  action: Parameters<typeof encodeQrCallback>[0]["action"],
  instance: string,
) => InlineKeyboard.text(label, encodeQrCallback({ action, instance }));

export const keyboards = {
  liveQr: (instance: string) =>
    new InlineKeyboard([[button(texts.buttons.cancel, "cancel", instance)]]),
  newQr: (instance: string) => new InlineKeyboard([[button(texts.buttons.newQr, "new", instance)]]),
  logoutAndQr: (instance: string) =>
    new InlineKeyboard([[button(texts.buttons.logoutAndQr, "logout", instance)]]),
  logout: (instance: string) =>
    new InlineKeyboard([[button(texts.buttons.logout, "logout", instance)]]),
  confirmLogout: (instance: string) =>
    new InlineKeyboard([
      [
        button(texts.buttons.confirmLogout, "logout-yes", instance),
        button(texts.buttons.keep, "logout-no", instance),
      ],
    ]),
  none: () => new InlineKeyboard(),
};
