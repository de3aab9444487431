import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SECOND_OPERATOR, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { checksPass, startWatching } from "../alerts/kit.js";

const warningsIn = (h: Harness, chatId = OPERATOR) =>
  textMessages(h, chatId).filter((m) => m.text?.includes("phone has been offline"));

describe("early warning before WhatsApp logs an offline phone out", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("one warning per threshold while the phone stays offline; a muted instance gets none", async () => {
    // 10 and 13 days, shortened to 1 s and 2 s.
    h = await startWatching({ env: { OFFLINE_WARN_AFTER_MS: "1000,2000" } });
    await checksPass(h, [SHOP, SUPPORT], 1);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/mute support 1h" });
    await eventually(
      () => textMessages(h).find((m) => m.text?.includes("Alerts for support are muted")),
      "the mute",
    );
    h.greenApi.instance(SHOP.idInstance).state = "sleepMode";
    h.greenApi.instance(SUPPORT.idInstance).state = "sleepMode";

    await eventually(() => warningsIn(h).length >= 2 || undefined, "two warnings", 10_000);
    await checksPass(h, SHOP, 3);
    const warnings = warningsIn(h);
    expect(warnings.map((m) => m.text)).toEqual([
      "😴 shop's phone has been offline for less than a minute: WhatsApp logs it out after 14 days. Bring the phone online (power, internet, open WhatsApp).",
      "😴 shop's phone has been offline for less than a minute: WhatsApp logs it out after 14 days. Bring the phone online (power, internet, open WhatsApp).",
    ]);
    // Every alert chat hears it, the same way.
    expect(warningsIn(h, SECOND_OPERATOR)).toHaveLength(2);
    expect(textMessages(h).some((m) => m.text?.includes("support's phone"))).toBe(false);
  });
});
