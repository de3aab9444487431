import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP } from "../../kit/app-harness.js";
import { buttonsOf, press, textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, phonesRemembered, startWatching } from "../alerts/kit.js";

/** The operator's Telegram first name: the closure and the alert name them. */
function introduce(h: Harness, firstName: string, userId = OPERATOR): void {
  h.telegram.userSends({ chatId: userId, fromId: userId, text: "/help", firstName });
}

describe("a remembered phone: from a logout alert to a pairing code in one tap", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("remembers the number while authorized, offers 'Code to +7 900 ···67', gets the code for exactly that number, and closes the incident with proof", async () => {
    h = await startWatching({ instances: [SHOP] });
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.phone = "79001234567";
    introduce(h, "Ivan");
    await eventually(
      () => textMessages(h).find((m) => m.text?.includes("greenlight")),
      "the /help answer",
    );
    // The watcher asks for the number while shop is authorized, then not again for a day.
    await phonesRemembered(h);
    await checksPass(h, SHOP, 3);
    expect(h.greenApi.callsOf("getWaSettings", SHOP.idInstance)).toHaveLength(1);

    // Logged out; two messages waited in GREEN-API's queue since 5 minutes ago.
    shop.state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h)[0], "the alert");
    expect(alert.text).toMatch(/^🔴 shop: logged out since/);
    expect(buttonsOf(alert)).toEqual(["📷 QR", "🔑 Code to +7 900 ···67", "📞 Another number"]);
    // Masked on the button; the whole number appears nowhere in the alert.
    expect(JSON.stringify(alert.replyMarkup)).not.toContain("123");

    press(h, alert, "🔑 Code to +7 900 ···67");
    const code = await eventually(
      () => textMessages(h).find((m) => m.text?.includes("Pairing code for shop")),
      "the pairing-code message",
    );
    // In the operator's private chat the number is whole.
    expect(code.text).toContain("+7 900 123-45-67");
    const requests = h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance);
    expect(requests.map((call) => call.body)).toEqual([{ phoneNumber: 79001234567 }]);
    const issued = shop.authorizationCodes()[0] ?? "";
    expect(code.text).toContain(`${issued.slice(0, 4)}-${issued.slice(4)}`);

    shop.queueMessage("order #1");
    shop.queueMessage("order #2");
    shop.authorize("79001234567");

    // The watcher's next check (2 s), then getWaSettings and showMessagesQueue under GREEN-API's
    // per-method limits, shared with the state watcher: a few seconds on a loaded machine.
    const closed = await eventually(
      () => {
        const now = h.telegram.message(OPERATOR, code.messageId);
        return now?.text?.startsWith("✅") ? now : undefined;
      },
      "the closure on the code message",
      20_000,
    );
    const lines = closed.text?.split("\n") ?? [];
    expect(lines[0]).toBe("✅ shop is authorized as +7 900 123-45-67.");
    expect(lines[1]).toMatch(/^👤 Linked by Ivan at \d\d:\d\d /);
    expect(lines[2]).toBe(
      "📤 2 messages GREEN-API queued while it was down are going out now. GREEN-API keeps queued messages for 24 h.",
    );
    expect(h.greenApi.callsOf("showMessagesQueue", SHOP.idInstance)).toHaveLength(1);

    const edited = await eventually(
      () => {
        const now = h.telegram.message(OPERATOR, alert.messageId);
        return now?.text?.includes("linked by") ? now : undefined;
      },
      "the alert edited into 'linked by'",
      20_000,
    );
    expect(edited.text).toMatch(
      /^✅ shop linked by Ivan at \d\d:\d\d \S+ \(down less than a minute\)$/,
    );
    expect(buttonsOf(edited)).toEqual([]);
  });

  it("'Another number' asks for the number; a national number is read in the remembered number's country", async () => {
    h = await startWatching({ instances: [SHOP] });
    const shop = h.greenApi.instance(SHOP.idInstance);
    await phonesRemembered(h);
    shop.state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h)[0], "the alert");
    press(h, alert, "📞 Another number");
    const prompt = await eventually(
      () =>
        textMessages(h).find((m) =>
          m.text?.includes("Reply to this message with the phone number"),
        ),
      "the phone-number prompt",
    );
    // No DEFAULT_PHONE_COUNTRY: "8 900 …" is read as Russian, the remembered number's country.
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "8 900 765-43-21",
      replyToMessageId: prompt.messageId,
    });
    await eventually(
      () =>
        textMessages(h).find((m) => m.text?.includes("Pairing code for shop (+7 900 765-43-21)")),
      "the code for the typed number",
    );
    expect(h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance).map((c) => c.body)).toEqual([
      { phoneNumber: 79007654321 },
    ]);
  });
});
