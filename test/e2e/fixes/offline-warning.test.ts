import { afterEach, describe, expect, it } from "vitest";
import {
  outgoingAPIMessageReceived,
  outgoingMessageReceived,
} from "../../fakes/green-api-notifications.js";
import { type Harness, OPERATOR, SECOND_OPERATOR, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { textMessages, waitForText } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { checksPass, postWebhook, startWatching } from "../alerts/kit.js";

const warningsIn = (h: Harness, chatId = OPERATOR) =>
  textMessages(h, chatId).filter((m) => m.text?.includes("No message sent from"));

/**
 * WhatsApp unlinks an instance whose phone stays offline about 14 days (GREEN-API FAQ). The only
 * sign of the phone GREEN-API sends is outgoingMessageReceived ("sent from the phone or the web
 * version"); sleepMode is "Status is out of date" (REAL-API.md). So the warning counts from the
 * last such notification, and says exactly that.
 */
describe("early warning before WhatsApp unlinks an instance whose phone went quiet", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("one warning per threshold since the phone last sent a message; a muted instance, an instance never seen and a message sent through the API get none", async () => {
    // 10 and 13 days, shortened to 2 s and 5 s: far enough apart that a slow check on a loaded
    // machine still sees them one at a time (GREEN-API's timestamps are whole seconds).
    h = await startWatching({ env: { OFFLINE_WARN_AFTER_MS: "2000,5000" } });
    await checksPass(h, [SHOP, SUPPORT], 1);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/mute support 1h" });
    await eventually(
      () => textMessages(h).find((m) => m.text?.includes("Alerts for support are muted")),
      "the mute",
    );
    // sleepMode alone no longer warns of anything (GREEN-API: "Status is out of date").
    h.greenApi.instance(SUPPORT.idInstance).state = "sleepMode";
    // Sent through the API: proves nothing about the phone, starts no clock.
    expect((await postWebhook(h, outgoingAPIMessageReceived(Number(SHOP.idInstance)))).status).toBe(
      200,
    );
    await checksPass(h, SHOP, 4);
    expect(warningsIn(h)).toEqual([]);
    // /status says what greenlight cannot see.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
    const blind = await waitForText(h, "📋 shop");
    expect(blind.text).toContain("📱 greenlight has not seen this phone send anything");

    expect((await postWebhook(h, outgoingMessageReceived(Number(SHOP.idInstance)))).status).toBe(
      200,
    );
    expect((await postWebhook(h, outgoingMessageReceived(Number(SUPPORT.idInstance)))).status).toBe(
      200,
    );
    await eventually(() => warningsIn(h).length >= 2 || undefined, "two warnings", 15_000);
    await checksPass(h, SHOP, 3);
    const warnings = warningsIn(h);
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) {
      expect(warning.text).toMatch(
        /^📵 No message sent from shop's phone for less than a minute \(the last one greenlight saw: .+\)\. WhatsApp unlinks an instance whose phone stays offline about 14 days\./,
      );
    }
    // Every alert chat hears it, the same way; the muted one is not told.
    expect(warningsIn(h, SECOND_OPERATOR)).toHaveLength(2);
    expect(textMessages(h).some((m) => m.text?.includes("support's phone"))).toBe(false);

    // The phone sends again: the clock starts over, and the warnings come again only after it.
    expect((await postWebhook(h, outgoingMessageReceived(Number(SHOP.idInstance)))).status).toBe(
      200,
    );
    await eventually(
      () => warningsIn(h).length >= 3 || undefined,
      "the next stretch's warning",
      15_000,
    );
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status shop" });
    const seen = await waitForText(h, "📱 The phone last sent a message at");
    expect(seen.text).toMatch(/📱 The phone last sent a message at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  }, 40_000);
});
