import { codeList, quoteInput } from "../html.js";
import type { Texts } from "../texts.js";

export const common: Pick<Texts, "unknownInstance" | "temporarilyUnavailable" | "callbacks"> = {
  unknownInstance: (input, names) =>
    `Неизвестный инстанс «${quoteInput(input)}». Есть: ${codeList(names)}`,
  temporarilyUnavailable: "⚠️ greenlight временно недоступен, попробуйте через минуту.",
  callbacks: {
    notAllowed: "Нет доступа.",
    stale: "Эта кнопка больше не действует.",
  },
};
