import { afterEach, describe, expect, it } from "vitest";
import {
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  SUPPORT,
  type TestInstance,
} from "../../kit/app-harness.js";
import { buttonsOf } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, phonesRemembered, startWatching } from "./kit.js";

// Split from alerts.test.ts: these wait on the watcher's checks with generous timeouts only, so
// they run in the parallel group; the two with bounds in time stay in alerts.test.ts.
describe("logout alerts: one per incident, with the fix one tap away", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("by default tells each operator only of the instances they may see", async () => {
    h = await startWatching({ instances: [{ ...SHOP, operators: [OPERATOR] }, SUPPORT] });
    await checksPass(h, SHOP, 1);
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    await eventually(() => alertsIn(h, OPERATOR)[0], "the alert to the operator of shop");
    await checksPass(h, SHOP, 3);
    expect(alertsIn(h, SECOND_OPERATOR)).toHaveLength(0);
  });

  it("without ALERT_LANGUAGE speaks the language of the first lead who wrote (here the operators: no admins)", async () => {
    h = await startWatching();
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/help",
      languageCode: "ru",
    });
    await eventually(() => h.telegram.callsOf("sendMessage").length > 0, "the help");
    await checksPass(h, SHOP, 1);
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    // In the other operator's chat too: alerts go to chats, in one language.
    const alert = await eventually(() => alertsIn(h, SECOND_OPERATOR)[0], "the alert");
    expect(alert.text).toContain("вышел из аккаунта");
  });

  it("flapping (one bad check between good ones) does not alert", async () => {
    h = await startWatching();
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    for (let flap = 0; flap < 3; flap++) {
      shop.state = "notAuthorized";
      await checksPass(h, SHOP, 1);
      shop.state = "authorized";
      await checksPass(h, SHOP, 1);
    }
    await checksPass(h, SHOP, 2);
    expect(alertsIn(h)).toEqual([]);
    expect(h.telegram.callsOf("sendMessage")).toEqual([]);
  });

  it("recovery edits the alert into '✅ shop recovered after …' and takes its buttons away", async () => {
    h = await startWatching();
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    shop.state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h)[0], "the alert");

    shop.authorize("79001234567");
    const recovered = await eventually(() => {
      const now = h.telegram.message(OPERATOR, alert.messageId);
      return now?.text?.startsWith("✅") ? now : undefined;
    }, "the edited alert");
    expect(recovered.text).toBe("✅ shop recovered after less than a minute");
    expect(buttonsOf(recovered)).toEqual([]);
    expect(alertsIn(h)).toHaveLength(1);
    await checksPass(h, SHOP, 2);
    expect(h.telegram.message(OPERATOR, alert.messageId)?.editCount).toBe(1);
    expect(h.telegram.callsOf("sendMessage")).toHaveLength(2); // one per operator, no more
  });

  it("five instances dropping together give one message listing all five", async () => {
    const five: TestInstance[] = [1, 2, 3, 4, 5].map((n) => ({
      name: `line${n}`,
      idInstance: `110200000${n}`,
      apiTokenInstance: `line${n}token0123456789abcdef0123456789abcdef0123456789`,
    }));
    h = await startWatching({ instances: five });
    await checksPass(h, five, 1);
    await phonesRemembered(h, 5);
    for (const instance of five) h.greenApi.instance(instance.idInstance).state = "notAuthorized";

    const alert = await eventually(() => alertsIn(h)[0], "the grouped alert");
    await checksPass(h, five, 2);
    expect(alertsIn(h)).toHaveLength(1);
    expect(alert.text?.split("\n")[0]).toBe("🔴 5 instances need attention");
    for (const instance of five) expect(alert.text).toContain(`🔴 ${instance.name}: logged out`);
    expect(buttonsOf(alert)).toEqual(
      five.flatMap(({ name }) => [`📷 QR ${name}`, `🔑 ${name}: code to +7 900 ···67`]),
    );
  });

  it("on first start, instances already down are reported once, in one summary", async () => {
    h = await startWatching({ authorized: false });
    h.greenApi.instance(SHOP.idInstance).state = "authorized";
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    const summary = await eventually(() => alertsIn(h)[0], "the start-up summary");
    expect(summary.text?.split("\n")[0]).toBe("🔎 greenlight started and found:");
    expect(summary.text).toContain("🔴 shop: logged out");
    expect(summary.text).toContain("🔴 support: logged out");
    await checksPass(h, [SHOP, SUPPORT], 2);
    expect(alertsIn(h)).toHaveLength(1);
  });

  it("counts unanswered checks: one 'cannot reach GREEN-API' after three, then one recovery notice", async () => {
    h = await startWatching();
    await checksPass(h, SHOP, 1);
    h.greenApi.script(
      SHOP.idInstance,
      "getStateInstance",
      { status: 502 },
      { status: 500 },
      { status: 503 },
      { status: 500 },
    );
    const alert = await eventually(
      () => alertsIn(h).find((m) => m.text?.includes("Cannot reach")),
      "the unreachable alert",
    );
    expect(alert.text).toMatch(/^📡 Cannot reach GREEN-API for shop since \d\d:\d\d/);
    expect(buttonsOf(alert)).toEqual([]);
    const edited = await eventually(() => {
      const now = h.telegram.message(OPERATOR, alert.messageId);
      return now?.text?.startsWith("✅") ? now : undefined;
    }, "the recovery notice");
    expect(edited.text).toMatch(/^✅ GREEN-API answers again for shop \(after /);
    expect(alertsIn(h)).toHaveLength(1);
    // Unreachable is not logged out: no "down" alert came of it.
    expect(alertsIn(h).some((m) => m.text?.includes("logged out"))).toBe(false);
  });
});
