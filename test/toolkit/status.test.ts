import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../kit/app-harness.js";
import { buttonsOf, photoMessages, press, waitForText } from "../kit/chat.js";
import { eventually } from "../kit/wait.js";

describe("/status: every instance at a glance", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("lists each instance with its state, shows an unreachable one as such, and offers the fixes", async () => {
    h = await startHarness({ env: { GREEN_API_TIMEOUT_MS: "700" } });
    h.greenApi.instance(SUPPORT.idInstance).authorize("79005550000");
    h.greenApi.script(SHOP.idInstance, "getStateInstance", { hang: true });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const list = await waitForText(h, "Instances");
    expect(list.text).toContain("shop — ❔ unreachable (GREEN-API did not answer)");
    expect(list.text).toContain("support — ✅ authorized as +79005550000");
    expect(list.text).toMatch(/Checked \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(buttonsOf(list)).toEqual(["📷 QR shop", "🔑 Code shop", "🔄 Refresh"]);

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
