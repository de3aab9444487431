import { codeList, quoteInput } from "../html.js";
import type { Texts } from "../texts.js";

export const common: Pick<
  Texts,
  "unknownInstance" | "unknownCommand" | "temporarilyUnavailable" | "callbacks"
> = {
  unknownInstance: (input, names) =>
    `Неизвестный инстанс «${quoteInput(input)}». Есть: ${codeList(names)}`,
  unknownCommand: (name) => `Нет команды /${quoteInput(name)}. Ваши команды: /help.`,
  temporarilyUnavailable: "⚠️ greenlight временно недоступен, попробуйте через минуту.",
  callbacks: {
    notAllowed: "Нет доступа.",
    stale: "Эта кнопка больше не действует.",
  },
};
