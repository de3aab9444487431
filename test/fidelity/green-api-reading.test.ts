import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, STRANGER, startHarness } from "../kit/app-harness.js";
import { buttonData, buttonsOf, press, textMessages, waitForText } from "../kit/chat.js";
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

  it("getAuthorizationCode's status false is 'try again' (GREEN-API's docs), with New code under the cooldown; log out is offered only when GREEN-API's message asks for it", async () => {
    h = await startHarness({ env: { PAIRING_CODE_COOLDOWN_MS: "3000" } });
    h.greenApi.script(SHOP.idInstance, "getAuthorizationCode", {
      json: { status: false, code: "" },
    });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/code shop +79001234567" });
    const notIssued = await waitForText(h, "could not issue a pairing code");
    expect(notIssued.text).toMatch(/Tap “New code” in [1-3] s; nothing needs logging out\./);
    expect(buttonsOf(notIssued)).toEqual(["🔑 New code", "📷 QR instead", "📞 Another number"]);
    expect(buttonsOf(notIssued)).not.toContain("🚪 Log out & get a code");

    // Within the cooldown the retry is refused and GREEN-API is not asked again.
    const pressId = press(h, notIssued, "🔑 New code");
    const answer = await eventually(() => h.telegram.answeredCallback(pressId), "the answer");
    // No code is on screen, so the answer does not claim one still works.
    expect(String(answer.params.text)).toMatch(/^A new code can be asked for in [1-3] s: /);
    const early = textMessages(h).find((m) => m.messageId === notIssued.messageId)!;
    expect(early.text).toBe(notIssued.text);
    expect(h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance)).toHaveLength(1);
    // After it, the same button gets the code.
    let pressedAt = 0;
    const code = await eventually(
      () => {
        const shown = textMessages(h).find((m) => m.text?.includes("Pairing code for shop"));
        if (!shown && Date.now() - pressedAt > 1_000) {
          pressedAt = Date.now();
          press(h, early, "🔑 New code");
        }
        return shown;
      },
      "the code after the cooldown",
      15_000,
    );
    expect(code.messageId).toBe(notIssued.messageId);
    expect(
      h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance).filter((c) => c.status === 200),
    ).toHaveLength(2);
  }, 40_000);

  it("status false whose message says to log out offers the log-out path", async () => {
    h = await startHarness();
    h.greenApi.script(SHOP.idInstance, "getAuthorizationCode", {
      json: { status: false, code: "", message: "Instance has auth. You need to make log out" },
    });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/code shop +79001234567" });
    const refused = await waitForText(h, "still holds an old WhatsApp login");
    expect(refused.text).not.toContain("could not issue");
    expect(buttonsOf(refused).join(" ")).toMatch(/Log out/);
  }, 30_000);

  it("GREEN-API's own format '79001234567' with no country set: the number read with its country, one button, and the code only on a tap; '8 900 …' and '84951234567' stay questions", async () => {
    h = await startHarness();
    const send = (text: string) =>
      h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });
    send("/code shop 8 900 123-45-67");
    const question = await waitForText(h, "Which country is");
    expect(buttonsOf(question)).toEqual([]);
    send("/code shop 84951234567");
    await eventually(
      () => textMessages(h).filter((m) => m.text?.includes("Which country is")).length === 2,
      "the second question",
    );

    send("/code shop 79001234567");
    const offer = await waitForText(h, "has no “+”");
    expect(offer.text).toContain("it is +7 900 123-45-67 (Russia).");
    expect(buttonsOf(offer)).toEqual(["📲 Send the code to +7 900 123-45-67"]);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);

    // Someone with no rights on shop presses it: refused, nothing asked of GREEN-API.
    h.telegram.userPresses({
      chatId: offer.chatId,
      fromId: STRANGER,
      messageId: offer.messageId,
      data: buttonData(offer, "📲 Send the code to +7 900 123-45-67"),
    });
    press(h, offer, "📲 Send the code to +7 900 123-45-67");
    const code = await waitForText(h, "Pairing code for shop (+7 900 123-45-67)");
    expect(code.messageId).toBe(offer.messageId);
    expect(h.greenApi.callsOf("getAuthorizationCode").map((c) => c.body)).toEqual([
      { phoneNumber: 79001234567 },
    ]);
  }, 30_000);
});
