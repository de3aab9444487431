import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SECOND_OPERATOR, SHOP } from "../../kit/app-harness.js";
import { buttonsOf, press, waitForQr } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, phonesRemembered, startWatching } from "./kit.js";

describe("logout alerts: one per incident, with the fix one tap away", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("one transition gives exactly one alert per alert chat, whose QR button starts a QR session there", async () => {
    h = await startWatching();
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    await phonesRemembered(h, 2);
    shop.state = "notAuthorized";

    const alert = await eventually(() => alertsIn(h)[0], "the alert");
    expect(alert.text).toMatch(/^🔴 shop: logged out since \d\d:\d\d/);
    expect(alert.text).toContain("scan it in WhatsApp → Linked devices");
    // The fake's instances were authorized as +7 900 123-45-67: the number is remembered (#13).
    expect(buttonsOf(alert)).toEqual(["📷 QR", "🔑 Code to +7 900 ···67", "📞 Another number"]);
    // More checks of the same bad state: still the one alert, in each operator's chat.
    await checksPass(h, SHOP, 3);
    expect(alertsIn(h, OPERATOR)).toHaveLength(1);
    expect(alertsIn(h, SECOND_OPERATOR)).toHaveLength(1);
    expect(alertsIn(h, SECOND_OPERATOR)[0]?.text).toBe(alert.text);
    expect(alertsIn(h).every((m) => !m.text?.includes("support"))).toBe(true);

    const pressed = press(h, alert, "📷 QR");
    await waitForQr(h, shop.currentQrPayload(), OPERATOR);
    expect(h.telegram.answeredCallback(pressed)).toBeDefined();
    // "Another number" asks for the phone number (the /code feature takes it from there).
    const codePress = press(h, alert, "📞 Another number");
    await eventually(() => h.telegram.answeredCallback(codePress), "the pairing-code answer");
    await eventually(
      () =>
        h.telegram
          .messagesIn(OPERATOR)
          .find((m) => m.text?.includes("Reply to this message with the phone number")),
      "the phone-number prompt",
    );
  });

  it("with three worker processes, the watcher still runs once per interval: one alert per chat", async () => {
    h = await startWatching();
    await h.startAnother({ ROLE: "worker" });
    await h.startAnother({ ROLE: "worker" });
    await checksPass(h, SHOP, 1);
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    await eventually(() => alertsIn(h)[0], "the alert");
    await checksPass(h, SHOP, 3);
    expect(alertsIn(h, OPERATOR)).toHaveLength(1);
    expect(alertsIn(h, SECOND_OPERATOR)).toHaveLength(1);
    // Runs never overlap: each check of an instance came after the previous one was answered.
    const checks = h.greenApi.callsOf("getStateInstance", SHOP.idInstance);
    for (let i = 1; i < checks.length; i++) {
      expect(checks[i]?.at).toBeGreaterThanOrEqual((checks[i - 1]?.at ?? 0) + 1000);
    }
  });
});
