import { InlineKeyboard } from "grammy";

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
