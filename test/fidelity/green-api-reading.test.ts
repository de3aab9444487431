import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP } from "../kit/app-harness.js";
import { waitForText } from "../kit/chat.js";
import { eventually } from "../kit/wait.js";
import { alertsIn, checksPass, firstRunDone, startWatching } from "../e2e/alerts/kit.js";

/**
 * Issue #23 §2: greenlight reads GREEN-API as its docs say, and no wider (REAL-API.md). Each case
 * is a documented (or undocumented) answer of the fake, and what the operator sees of it.
 */
describe("what greenlight makes of GREEN-API's answers", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("an undocumented stateInstance is one alert naming the value, never 'cannot reach GREEN-API'; /status shows it too", async () => {
    h = await startWatching();
    await firstRunDone(h);
    h.greenApi.instance(SHOP.idInstance).state = "pendingCode";
    const alert = await eventually(() => alertsIn(h)[0], "the alert", 15_000);
    expect(alert.text).toContain("shop: unknown state «pendingCode» since");
    expect(alert.text).toContain("GREEN-API answered «pendingCode»");
    // It holds through many more checks: still that one alert, and never "cannot reach".
    await checksPass(h, SHOP, 5);
    expect(alertsIn(h)).toHaveLength(1);
    expect(alertsIn(h)[0]?.text).not.toContain("Cannot reach");

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
    const status = await waitForText(h, "unknown state «pendingCode» (not in GREEN-API's docs)");
    expect(status.text).toContain("shop");
  }, 40_000);
});
