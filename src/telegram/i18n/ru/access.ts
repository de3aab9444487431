import type { Right, Role } from "../../../access/roles.js";
import { bold as b } from "../html.js";
import type { Texts } from "../texts.js";

const roleName: Record<Role, string> = {
  viewer: "наблюдатель",
  operator: "оператор",
  admin: "администратор",
};
const needs: Record<Right, string> = {
  view: "наблюдателя",
  operate: "оператора",
  administer: "администратора",
};

export const access: Texts["access"] = {
  forbidden: (instance, role, right) =>
    `🔒 Для ${b(instance)} вы ${roleName[role]}: здесь нужны права ${needs[right]}. Обратитесь к администратору бота.`,
  forbiddenShort: (role, right) =>
    `🔒 Нет доступа: вы ${roleName[role]}, нужны права ${needs[right]}.`,
  needs: (right) => `🔒 Нет доступа: нужны права ${needs[right]} хотя бы одного инстанса.`,
  sentPrivately: (instance) =>
    `🔒 Код для ${b(instance)} — ключ к его WhatsApp: я отправил его вам в личный чат.`,
  startFirst: (instance, link) =>
    `🔒 Код для ${b(instance)} — ключ к его WhatsApp, поэтому он показывается только в личном чате. <a href="${link}">Откройте личный чат со мной</a>, нажмите «Start» и попросите снова.`,
  sentPrivatelyShort: "🔒 Отправил вам в личный чат.",
  startFirstShort: "🔒 Сначала откройте личный чат со мной и нажмите «Start».",
  confirm: {
    alreadyDone: "✅ Уже сделано.",
    expired: "⌛ Подтверждение истекло. Попросите снова.",
    notYours: (instance) => `Подтвердить это для ${instance} может только тот, кто попросил.`,
  },
  pastedToken: {
    deleted:
      "⚠️ В сообщении было что-то похожее на токен (apiTokenInstance GREEN-API или токен бота), поэтому я его удалил. Если его успели увидеть другие, замените токен в консоли GREEN-API или у @BotFather.",
    notDeleted:
      "⚠️ В сообщении есть что-то похожее на токен (apiTokenInstance GREEN-API или токен бота). Удалите его сейчас (мне здесь нельзя удалять сообщения) и замените токен, если его видели другие.",
  },
};
