import { afterEach, describe, expect, it } from "vitest";
import { stateHistorySchema } from "../../src/green-api/schemas.js";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../kit/app-harness.js";
import { buttonsOf, waitForText } from "../kit/chat.js";

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe("getStateInstanceHistory: phoneNumber as the docs' table (integer) or their example (string)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("reads integer and string phoneNumber alike and drops only a broken entry", () => {
    const parsed = stateHistorySchema.parse([
      { stateInstance: "authorized", timestamp: 1778132812, phoneNumber: 79636191168 },
      { stateInstance: "notAuthorized", timestamp: 1778132743, phoneNumber: "79636191168@c.us" },
      { stateInstance: "blocked", timestamp: "yesterday", phoneNumber: "79636191168@c.us" },
      { stateInstance: "authorized", timestamp: 1778132546 },
      "garbage",
    ]);
    expect(parsed).toEqual([
      { stateInstance: "authorized", timestamp: 1778132812, phoneNumber: "79636191168" },
      { stateInstance: "notAuthorized", timestamp: 1778132743, phoneNumber: "79636191168@c.us" },
      { stateInstance: "authorized", timestamp: 1778132546 },
    ]);
    expect(stateHistorySchema.parse(null)).toEqual([]);
  });

  it("/status shop shows the history with one broken entry left out, not 'no history'", async () => {
    h = await startHarness();
    h.greenApi.script(SHOP.idInstance, "getStateInstanceHistory", {
      json: [
        {
          stateInstance: "notAuthorized",
          timestamp: at("2026-11-23T03:12:00Z"),
          phoneNumber: 79001234567,
        },
        { stateInstance: "blocked", timestamp: null, phoneNumber: "79001234567@c.us" },
        {
          stateInstance: "authorized",
          timestamp: at("2026-11-20T10:00:00Z"),
          phoneNumber: "79001234567@c.us",
        },
      ],
    });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
    const detail = await waitForText(h, "Recent states:");
    expect(detail.text).toContain("• 2026-11-23 03:12 — ⚠️ not authorized");
    expect(detail.text).toContain("• 2026-11-20 10:00 — ✅ authorized");
    expect(detail.text).not.toContain("blocked by WhatsApp");
  });
});

describe("466 (plan used up) and 403 (blocked account, wrong instance) are their own states", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("/status shows 466 as the plan used up, with what to do, and offers no QR for it", async () => {
    h = await startHarness();
    h.greenApi.instance(SHOP.idInstance).quotaExceeded = true;
    h.greenApi.script(SUPPORT.idInstance, "getStateInstance", { status: 403 });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const list = await waitForText(h, "Instances");
    expect(list.text).toContain(
      "shop — 💳 plan quota used up (HTTP 466): pay or change the plan, or wait",
    );
    expect(list.text).toContain(
      "support — 🚫 refused by GREEN-API (HTTP 403): account blocked or wrong instance",
    );
    expect(list.text).not.toContain("credentials");
    expect(list.text).not.toContain("unreachable");
    expect(buttonsOf(list)).toEqual(["🔄 Refresh"]);
  });

  it("/code shows 466 as the plan used up and names the fix", async () => {
    h = await startHarness();
    h.greenApi.instance(SHOP.idInstance).quotaExceeded = true;
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/code shop +79001234567" });
    const failed = await waitForText(h, "GREEN-API gave no pairing code for shop");
    expect(failed.text).toContain("plan is used up (HTTP 466)");
    expect(failed.text).toContain("Pay for or change the plan");
    expect(failed.text).not.toContain("credentials");
  });

  it("/code in Russian says the same", async () => {
    h = await startHarness();
    h.greenApi.instance(SHOP.idInstance).quotaExceeded = true;
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/code shop +79001234567",
      languageCode: "ru",
    });
    const failed = await waitForText(h, "GREEN-API не выдал код привязки для shop");
    expect(failed.text).toContain("тариф инстанса в GREEN-API исчерпан (HTTP 466)");
  });
});
