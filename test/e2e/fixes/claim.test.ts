import { afterEach, describe, expect, it } from "vitest";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
} from "../../kit/app-harness.js";
import { buttonsOf, press, textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, phonesRemembered, startWatching } from "../alerts/kit.js";

const ESCALATION_CHAT = -100777;

describe("claim an incident, and escalate one nobody claimed", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("'I'm on it' shows '👤 Ivan is on it' on the group alert; a second operator learns who has it", async () => {
    h = await startWatching({ instances: [SHOP], env: { ALERT_CHAT_IDS: String(GROUP_CHAT) } });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/help", firstName: "Ivan" });
    await phonesRemembered(h);
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h, GROUP_CHAT)[0], "the group alert");
    expect(buttonsOf(alert)).toEqual([
      "📷 QR",
      "🔑 Code to +7 900 ···67",
      "📞 Another number",
      "🙋 I'm on it",
    ]);

    const mine = press(h, alert, "🙋 I'm on it", OPERATOR);
    const claimed = await eventually(() => {
      const now = h.telegram.message(GROUP_CHAT, alert.messageId);
      return now?.text?.includes("👤 Ivan is on it") ? now : undefined;
    }, "the claim on the alert");
    expect(h.telegram.answeredCallback(mine)?.params.text).toBe(
      "👤 shop is yours: everyone reading the alert sees it.",
    );
    expect(buttonsOf(claimed)).toEqual(["📷 QR", "🔑 Code to +7 900 ···67", "📞 Another number"]);

    // A second operator pressing the same button (an older copy of the keyboard) changes nothing.
    const theirs = h.telegram.userPresses({
      chatId: GROUP_CHAT,
      fromId: SECOND_OPERATOR,
      messageId: alert.messageId,
      data: "al:claim:shop",
    }).callbackQueryId;
    await eventually(() => h.telegram.answeredCallback(theirs), "the second answer");
    expect(h.telegram.answeredCallback(theirs)?.params.text).toBe("👤 Ivan is already on it.");
    // The watcher's later edits keep the claim on the alert.
    await checksPass(h, SHOP, 2);
    expect(h.telegram.message(GROUP_CHAT, alert.messageId)?.text).toContain("👤 Ivan is on it");
  });

  it("ESCALATE_AFTER_MS: an incident nobody claimed or fixed is re-sent to ESCALATION_CHAT_IDS once", async () => {
    h = await startWatching({
      instances: [SHOP],
      env: {
        ALERT_CHAT_IDS: String(GROUP_CHAT),
        ESCALATE_AFTER_MS: "1500",
        ESCALATION_CHAT_IDS: String(ESCALATION_CHAT),
      },
    });
    await checksPass(h, SHOP, 1);
    h.greenApi.instance(SHOP.idInstance).state = "blocked";
    await eventually(() => alertsIn(h, GROUP_CHAT)[0], "the group alert");
    const escalated = await eventually(
      () => alertsIn(h, ESCALATION_CHAT)[0],
      "the escalated alert",
      10_000,
    );
    expect(escalated.text).toMatch(/^🔴 shop: banned by WhatsApp since/);
    await checksPass(h, SHOP, 3);
    expect(textMessages(h, ESCALATION_CHAT)).toHaveLength(1);
    expect(alertsIn(h, GROUP_CHAT)).toHaveLength(1);
  });
});
