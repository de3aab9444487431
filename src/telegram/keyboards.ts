import { InlineKeyboard, type Transformer } from "grammy";

export const noButtons = () => new InlineKeyboard();

/** One button per instance, two per row: for commands sent without an instance name. */
export function instancePicker(names: readonly string[], data: (instance: string) => string) {
  const keyboard = new InlineKeyboard();
  names.forEach((name, index) => {
    keyboard.text(name, data(name));
    if (index % 2 === 1) keyboard.row();
  });
  return keyboard;
}

/**
 * grammY's InlineKeyboard starts with one empty row, so a keyboard nothing was added to (a
 * /status card with no fix to offer, "no buttons" after an edit) went out as `[[]]`: an empty row
 * under the message. Every call leaves with its empty rows dropped; `[]` still removes buttons.
 */
export function withoutEmptyRows<P>(payload: P): P {
  const markup = (payload as { reply_markup?: unknown } | undefined)?.reply_markup as
    { inline_keyboard?: unknown } | undefined;
  const rows = markup?.inline_keyboard;
  if (!Array.isArray(rows) || rows.every((row) => !Array.isArray(row) || row.length > 0)) {
    return payload;
  }
  const kept = rows.filter((row) => !Array.isArray(row) || row.length > 0);
  return { ...payload, reply_markup: { ...markup, inline_keyboard: kept } };
}

/** withoutEmptyRows on every call of an Api (installed by app/telegram-api.ts). */
export const dropEmptyKeyboardRows: Transformer = (prev, method, payload, signal) =>
  prev(method, withoutEmptyRows(payload), signal);
