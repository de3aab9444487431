import { afterEach, describe, expect, it } from "vitest";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SHOP,
  SUPPORT,
  startHarness,
} from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, press, waitForText } from "../../kit/chat.js";
import { eventually, pause } from "../../kit/wait.js";

describe("/status: every instance at a glance", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("lists each instance with its state, shows an unreachable one as such without fix buttons, and offers the fixes once it answers", async () => {
    h = await startHarness({ env: { GREEN_API_TIMEOUT_MS: "700" } });
    h.greenApi.instance(SUPPORT.idInstance).authorize("79005550000");
    h.greenApi.script(SHOP.idInstance, "getStateInstance", { hang: true });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const list = await waitForText(h, "Instances");
    expect(list.text).toContain("shop — ❔ unreachable (GREEN-API did not answer)");
    expect(list.text).toContain("support — ✅ authorized as +7 900 555-00-00");
    expect(list.text).toMatch(/Checked \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // No 📷/🔑 for an instance GREEN-API does not answer for: they would need that GREEN-API.
    expect(buttonsOf(list)).toEqual(["🔄 Refresh"]);

    // Refresh edits the same message with fresh states.
    press(h, list, "🔄 Refresh");
    const refreshed = await eventually(() => {
      const message = h.telegram.message(OPERATOR, list.messageId);
      return message?.text?.includes("shop — ⚠️ not authorized") ? message : undefined;
    }, "the refreshed list");
    expect(buttonsOf(refreshed)).toEqual(["📷 QR shop", "🔑 Code shop", "🔄 Refresh"]);

    press(h, refreshed, "📷 QR shop");
    await eventually(
      () => photoMessages(h)[0]?.caption?.includes("Scan to link shop"),
      "a QR session",
    );
  });

  it("shows an authorized instance's phone whole in a private chat and masked in a group", async () => {
    h = await startHarness();
    h.greenApi.instance(SUPPORT.idInstance).authorize("447400123456");
    h.telegram.userSends({ chatId: GROUP_CHAT, fromId: OPERATOR, text: "/status" });
    const inGroup = await waitForText(h, "Instances", GROUP_CHAT);
    expect(inGroup.text).toContain("support — ✅ authorized as +44 7400 ····56");
    expect(inGroup.text).not.toContain("123456");

    // Refresh in the group keeps it masked.
    press(h, inGroup, "🔄 Refresh");
    await eventually(
      () => h.telegram.calls.some((call) => call.method === "answerCallbackQuery"),
      "the refresh",
    );
    await pause(200);
    expect(h.telegram.message(GROUP_CHAT, inGroup.messageId)?.text).not.toContain("123456");

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status support" });
    const inPrivate = await waitForText(h, "Recent states:");
    expect(inPrivate.text).toContain("support — ✅ authorized as +44 7400 123456");
    // Nothing to offer: no keyboard at all, not an empty row under the card.
    const rows = (inPrivate.replyMarkup as { inline_keyboard?: unknown[][] } | undefined)
      ?.inline_keyboard;
    expect(rows ?? []).toEqual([]);
  });

  it("shows one instance in detail with its recent state history", async () => {
    h = await startHarness();
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.state = "starting";
    shop.state = "notAuthorized";
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
    const detail = await waitForText(h, "Recent states:");
    expect(detail.text).toContain("shop — ⚠️ not authorized");
    expect(detail.text).toContain("⏳ starting");
    expect(detail.text).not.toContain("support");
  });

  it("answers an unknown instance briefly", async () => {
    h = await startHarness();
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status nope" });
    await waitForText(h, "Unknown instance “nope”");
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("speaks Russian to a Russian-speaking operator", async () => {
    h = await startHarness();
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/status",
      languageCode: "ru",
    });
    const list = await waitForText(h, "Инстансы");
    expect(list.text).toContain("shop — ⚠️ не авторизован");
    expect(buttonsOf(list)).toContain("🔄 Обновить");
  });
});
