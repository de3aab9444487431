import { InlineKeyboard } from "grammy";
import { historyCallbacks } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

/** ◀ Older / Newer ▶ under an instance's incidents (page 0 is the newest). */
export function instancePager(
  instance: string,
  page: number,
  pages: number,
  t: Texts,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const b = t.history.buttons;
  if (page + 1 < pages)
    keyboard.text(b.older, historyCallbacks.encode({ action: "inst", page: page + 1, instance }));
  if (page > 0)
    keyboard.text(b.newer, historyCallbacks.encode({ action: "inst", page: page - 1, instance }));
  return keyboard;
}

/** ◀ ▶ under the fleet view. */
export function fleetPager(page: number, pages: number, t: Texts): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const b = t.history.buttons;
  if (page > 0)
    keyboard.text(b.previous, historyCallbacks.encode({ action: "fleet", page: page - 1 }));
  if (page + 1 < pages)
    keyboard.text(b.next, historyCallbacks.encode({ action: "fleet", page: page + 1 }));
  return keyboard;
}
