import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP } from "../../kit/app-harness.js";
import { buttonsOf, press, textMessages } from "../../kit/chat.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, startWatching } from "../alerts/kit.js";

/** Only shop, watched every 300 ms; `starting` counts as stuck after 1 s. */
const watching = (env: Record<string, string> = {}) =>
  startWatching({ instances: [SHOP], env: { STARTING_TOO_LONG_MS: "1000", ...env } });

async function auditResults(h: Harness): Promise<string[]> {
  const redis = new Redis(redisUrl());
  try {
    const raw = await redis.lrange(`${h.config.env.REDIS_PREFIX}:audit`, 0, -1);
    return raw.map((line) => {
      const entry = JSON.parse(line) as { action: string; userId: number; result: string };
      return `${entry.action} by ${entry.userId}: ${entry.result}`;
    });
  } finally {
    redis.disconnect();
  }
}

describe("a button for every known state", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("stuck starting: the alert offers Reboot, whose confirmation reboots exactly once, and the alert ends", async () => {
    h = await watching();
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    shop.state = "starting";
    const alert = await eventually(() => alertsIn(h)[0], "the alert", 10_000);
    expect(alert.text).toMatch(/^🔴 shop: stuck starting since/);
    expect(alert.text).toContain("GREEN-API's advice is a reboot");
    expect(buttonsOf(alert)).toEqual(["🔁 Reboot"]);

    press(h, alert, "🔁 Reboot");
    const question = await eventually(
      () => textMessages(h).find((m) => m.text?.startsWith("🔁 Reboot shop?")),
      "the reboot confirmation",
    );
    // The alert itself stays as it was, for everyone who reads it.
    expect(h.telegram.message(OPERATOR, alert.messageId)?.editCount ?? 0).toBe(0);
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(0);
    shop.afterReboot = "authorized";
    press(h, question, "✅ Yes, reboot");
    press(h, question, "✅ Yes, reboot");
    await eventually(
      () => h.telegram.message(OPERATOR, question.messageId)?.text?.includes("is rebooting"),
      "rebooting",
    );
    await eventually(
      () => h.telegram.message(OPERATOR, alert.messageId)?.text?.startsWith("✅"),
      "the alert ended",
    );
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(1);
  });

  it("AUTO_REBOOT_STARTING reboots once per incident, says so on the alert, and is audited", async () => {
    h = await watching({ AUTO_REBOOT_STARTING: "1" });
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    shop.state = "starting";
    const alert = await eventually(() => alertsIn(h)[0], "the alert", 10_000);
    expect(alert.text).toMatch(
      /🔁 Stuck starting: greenlight rebooted it at \d\d:\d\d \S+ \(AUTO_REBOOT_STARTING\)/,
    );
    // Still starting for more checks: no second reboot within this incident.
    await checksPass(h, SHOP, 2);
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(1);
    expect(await auditResults(h)).toEqual(["reboot by 0: auto: stuck starting"]);

    // A new incident gets its own one reboot.
    shop.state = "authorized";
    await eventually(
      () => h.telegram.message(OPERATOR, alert.messageId)?.text?.startsWith("✅"),
      "the first incident ended",
    );
    shop.state = "starting";
    await eventually(() => alertsIn(h).length >= 2 || undefined, "the second alert", 10_000);
    await checksPass(h, SHOP, 1);
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(2);
  });

  it("yellowCard explains and offers Reboot and GREEN-API's explanation; blocked offers nothing", async () => {
    h = await watching();
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    shop.state = "yellowCard";
    const yellow = await eventually(() => alertsIn(h)[0], "the yellowCard alert");
    expect(yellow.text).toMatch(/^🔴 shop: sending suspended \(spam\) since/);
    expect(yellow.text).toContain("GREEN-API's fix: reboot the instance");
    expect(buttonsOf(yellow)).toEqual(["🔁 Reboot", "ℹ️ What is yellowCard?"]);
    expect(JSON.stringify(yellow.replyMarkup)).toContain(
      "https://green-api.com/en/docs/faq/yellowCard/",
    );

    shop.state = "blocked";
    const blocked = await eventually(() => {
      const now = h.telegram.message(OPERATOR, yellow.messageId);
      return now?.text?.includes("banned by WhatsApp") ? now : undefined;
    }, "the alert restated as banned");
    expect(blocked.text).toContain("No button here can fix that");
    expect(buttonsOf(blocked)).toEqual([]);
  });

  it("a code refused with 'Instance has auth. You need to make log out' is one confirmed tap from a code", async () => {
    h = await watching({ STATE_POLL_INTERVAL_MS: "0", PAIRING_CODE_COOLDOWN_MS: "0" });
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.state = "notAuthorized";
    shop.needsLogout = true;
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/code shop +79001234567" });
    const refused = await eventually(
      () => textMessages(h).find((m) => m.text?.includes("old WhatsApp login")),
      "the refusal",
    );
    expect(refused.text).toContain("GREEN-API gives no pairing code");
    expect(buttonsOf(refused)).toEqual(["🚪 Log out & get a code"]);
    press(h, refused, "🚪 Log out & get a code");
    await eventually(
      () => h.telegram.message(OPERATOR, refused.messageId)?.text?.startsWith("🚪 Log out shop"),
      "the confirmation",
    );
    const confirm = h.telegram.message(OPERATOR, refused.messageId);
    if (!confirm) throw new Error("no confirmation");
    press(h, confirm, "✅ Yes, log out");
    await eventually(
      () =>
        h.telegram.message(OPERATOR, refused.messageId)?.text?.includes("Pairing code for shop"),
      "the code after the log out",
    );
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    expect(h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance)).toHaveLength(2);
  });
});
