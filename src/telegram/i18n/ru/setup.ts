import type { Texts } from "../texts.js";

/** Режим настройки (OPERATOR_IDS ещё не задан): бот только сообщает id. */
export const setup: Texts["setup"] = {
  yourId: (id: number) =>
    [
      `👋 Ваш id в Telegram: <code>${id}</code>.`,
      "",
      "greenlight в режиме настройки: пользоваться им пока никому нельзя. Чтобы стать его оператором, добавьте эту строку в <code>.env</code> и перезапустите greenlight:",
      `<code>OPERATOR_IDS=${id}</code>`,
      "Несколько человек: их id через запятую.",
    ].join("\n"),
  notSetUp: "⚙️ greenlight ещё не настроен: команды не работают, пока не задан OPERATOR_IDS.",
};
