import { InlineKeyboard } from "grammy";
import { describe, expect, it } from "vitest";
import { noButtons, withoutEmptyRows } from "../../../src/telegram/keyboards.js";

const button = { text: "🔄 Refresh", callback_data: "s:r:0" };

describe("no empty keyboard row ever leaves", () => {
  it.each([
    ["a keyboard nothing was added to", { reply_markup: noButtons() }, []],
    [
      "a trailing empty row",
      { reply_markup: new InlineKeyboard().text("🔄 Refresh", "s:r:0").row() },
      [[button]],
    ],
    [
      "rows with an empty one between",
      { reply_markup: { inline_keyboard: [[button], [], [button]] } },
      [[button], [button]],
    ],
  ])("%s", (_case, payload, rows) => {
    const sent = withoutEmptyRows({ chat_id: 1, text: "x", ...payload });
    expect(JSON.parse(JSON.stringify(sent.reply_markup)).inline_keyboard).toEqual(rows);
    expect(sent.text).toBe("x");
  });

  it("leaves other payloads as they are", () => {
    const plain = { chat_id: 1, text: "x" };
    expect(withoutEmptyRows(plain)).toBe(plain);
    const force = { chat_id: 1, text: "x", reply_markup: { force_reply: true } };
    expect(withoutEmptyRows(force)).toBe(force);
    const full = { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[button]] } };
    expect(withoutEmptyRows(full)).toBe(full);
  });
});
