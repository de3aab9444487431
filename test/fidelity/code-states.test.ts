import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { auditedResults } from "../kit/audit.js";
import { buttonsOf, press, waitForText } from "../kit/chat.js";
import { eventually } from "../kit/wait.js";

/** GREEN-API issues a pairing code only to a logged-out instance (REAL-API.md). */
describe("/code asks for the instance's state first", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const send = (text: string, fromId = OPERATOR) =>
    h.telegram.userSends({ chatId: fromId, fromId, text });
  const shop = () => h.greenApi.instance(SHOP.idInstance);

  it("on an authorized instance: says so, and Log out & get a code (confirmed) logs out and brings a code for the same number", async () => {
    h = await startHarness({ env: { PAIRING_CODE_COOLDOWN_MS: "0" } });
    shop().authorize("79005550000");
    send("/code shop +7 900 123-45-67");
    const linked = await waitForText(h, "is already linked");
    expect(linked.text).toContain("shop is already linked to +7 900 555-00-00");
    expect(linked.text).toContain("GREEN-API gives a pairing code only to a logged-out instance");
    expect(buttonsOf(linked)).toEqual(["🚪 Log out & get a code"]);
    expect(h.greenApi.callsOf("getStateInstance", SHOP.idInstance)).toHaveLength(1);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);

    press(h, linked, "🚪 Log out & get a code");
    const confirm = await eventually(() => {
      const message = h.telegram.message(OPERATOR, linked.messageId);
      return message?.text?.startsWith("🚪 Log out shop and get a pairing code") && message;
    }, "the confirmation");
    expect(confirm.text).toContain("+7 900 123-45-67");
    expect(buttonsOf(confirm)).toEqual(["✅ Yes, log out", "↩️ No"]);
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);

    press(h, confirm, "✅ Yes, log out");
    const issued = await waitForText(h, "Pairing code for shop");
    expect(issued.messageId).toBe(linked.messageId);
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    expect(h.greenApi.callsOf("getAuthorizationCode")[0]?.body).toEqual({
      phoneNumber: 79001234567,
    });
    const code = shop().authorizationCodes()[0] as string;
    expect(issued.text).toContain(`${code.slice(0, 4)}-${code.slice(4)}`);
  });

  it("a log out GREEN-API answers isLogout: false is a failure: said so, audited as failed, no code asked for", async () => {
    h = await startHarness();
    shop().authorize();
    h.greenApi.script(SHOP.idInstance, "logout", { json: { isLogout: false } });
    send("/code shop +79001234567");
    const linked = await waitForText(h, "is already linked");
    press(h, linked, "🚪 Log out & get a code");
    const confirm = await waitForText(h, "Log out shop and get a pairing code");
    press(h, confirm, "✅ Yes, log out");
    const failed = await waitForText(h, "Could not log out shop");
    expect(failed.text).toContain("GREEN-API answered that it did not do it");
    expect(buttonsOf(failed)).toEqual(["🚪 Log out & get a code"]);
    const audit = await auditedResults(h);
    expect(audit).toContain("logout: failed: declined");
    expect(audit).not.toContain("logout: done");
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);
  });

  it("on an authorized instance, No keeps it linked and keeps the button at hand", async () => {
    h = await startHarness();
    shop().authorize();
    send("/code shop +79001234567");
    const linked = await waitForText(h, "is already linked");
    press(h, linked, "🚪 Log out & get a code");
    const confirm = await waitForText(h, "Log out shop and get a pairing code");
    press(h, confirm, "↩️ No");
    const kept = await waitForText(h, "it stays linked");
    expect(buttonsOf(kept)).toEqual(["🚪 Log out & get a code"]);
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);
    expect(shop().state).toBe("authorized");
  });

  it("on an authorized instance, an operator who is not an admin is told to ask an admin, with no button", async () => {
    h = await startHarness({ env: { ADMIN_IDS: "4242" } });
    shop().authorize();
    send("/code shop +79001234567");
    const linked = await waitForText(h, "is already linked");
    expect(linked.text).toContain("an admin has to log it out first");
    expect(buttonsOf(linked)).toEqual([]);
  });

  it("on a starting instance: says to wait or reboot, and its Reboot button is the admin reboot (confirmed)", async () => {
    h = await startHarness();
    shop().state = "starting";
    send("/code shop +79001234567");
    const starting = await waitForText(h, "is starting");
    expect(starting.text).toContain("GREEN-API gives no pairing code until it is done");
    expect(starting.text).toContain("reboot it");
    expect(buttonsOf(starting)).toEqual(["🔁 Reboot", "🔑 New code"]);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);

    press(h, starting, "🔁 Reboot");
    const confirm = await waitForText(h, "Reboot shop?");
    expect(confirm.messageId).toBe(starting.messageId);
    press(h, confirm, "✅ Yes, reboot");
    await waitForText(h, "shop is rebooting");
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(1);
  });

  it("the fake refuses a code for an authorized instance even when asked directly (status false)", async () => {
    h = await startHarness();
    shop().authorize();
    const url = `${h.greenApi.apiUrl}/waInstance${SHOP.idInstance}/getAuthorizationCode/${SHOP.apiTokenInstance}`;
    const answer = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phoneNumber: 79001234567 }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: false, code: "" });
  });
});
