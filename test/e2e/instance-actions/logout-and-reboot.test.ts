import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import { buttonsOf, press, waitForText } from "../../kit/chat.js";
import { pause } from "../../kit/wait.js";

describe("/logout and /reboot, behind a confirmation that expires", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const send = (text: string) => h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });

  it("/logout shop → Yes logs out once and edits the result into the same message", async () => {
    h = await startHarness();
    h.greenApi.instance(SHOP.idInstance).authorize();
    send("/logout shop");
    const confirm = await waitForText(h, "Log out shop?");
    expect(buttonsOf(confirm)).toEqual(["✅ Yes, log out", "↩️ No"]);
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);
    press(h, confirm, "✅ Yes, log out");
    press(h, confirm, "✅ Yes, log out"); // a double tap does it once
    const done = await waitForText(h, "is logged out");
    expect(done.messageId).toBe(confirm.messageId);
    await pause(300);
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    expect(h.greenApi.instance(SHOP.idInstance).state).toBe("notAuthorized");
  });

  it("/reboot shop → No changes nothing", async () => {
    h = await startHarness();
    send("/reboot shop");
    const confirm = await waitForText(h, "Reboot shop?");
    press(h, confirm, "↩️ No");
    await waitForText(h, "Nothing changed on shop");
    expect(h.greenApi.callsOf("reboot")).toHaveLength(0);
  });

  it("an expired confirmation does nothing and says so", async () => {
    h = await startHarness({ env: { CONFIRM_TTL_MS: "1000" } });
    send("/reboot shop");
    const confirm = await waitForText(h, "Reboot shop?");
    await pause(1300);
    press(h, confirm, "✅ Yes, reboot");
    await waitForText(h, "This confirmation expired");
    expect(h.greenApi.callsOf("reboot")).toHaveLength(0);
  });

  it("without an instance, offers one button per instance, then confirms", async () => {
    h = await startHarness();
    send("/reboot");
    const picker = await waitForText(h, "Reboot which instance?");
    expect(buttonsOf(picker)).toEqual(["shop", "support"]);
    press(h, picker, "support");
    const confirm = await waitForText(h, "Reboot support?");
    press(h, confirm, "✅ Yes, reboot");
    await waitForText(h, "support is rebooting");
    expect(h.greenApi.callsOf("reboot")).toHaveLength(1);
  });

  it("reports a GREEN-API failure instead of pretending", async () => {
    h = await startHarness();
    h.greenApi.script(SHOP.idInstance, "reboot", { status: 500 });
    send("/reboot shop");
    const confirm = await waitForText(h, "Reboot shop?");
    press(h, confirm, "✅ Yes, reboot");
    const failed = await waitForText(h, "❌ shop");
    expect(failed.text).toContain("server-error");
    expect(failed.text).not.toContain(SHOP.apiTokenInstance);
  });

  it("answers an unknown instance briefly", async () => {
    h = await startHarness();
    send("/logout nope");
    await waitForText(h, "Unknown instance “nope”");
    expect(h.greenApi.calls).toHaveLength(0);
  });
});
