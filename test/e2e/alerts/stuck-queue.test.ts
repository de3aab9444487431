import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { buttonsOf, press, textMessages } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, httpUrl, startWatching } from "./kit.js";

/** The queue is read once a second at most (GREEN-API's limit) and judged stuck after 2.5 s. */
const FAST_QUEUE = { STUCK_AFTER_MS: "2500", QUEUE_CHECK_INTERVAL_MS: "1000" };

/** Stuck-queue alerts as they stand now: open, or edited into "moving again". */
const stuckAlerts = (h: Harness) =>
  textMessages(h, OPERATOR).filter((m) =>
    /says authorized but|queue is moving again/.test(m.text ?? ""),
  );

describe("a status that lies: authorized, but the send queue does not move", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("a queue that grows while authorized gives one alert with Reboot and its size; it ends when the queue drains", async () => {
    h = await startWatching({ env: FAST_QUEUE });
    const shop = h.greenApi.instance(SHOP.idInstance);
    await checksPass(h, SHOP, 1);
    const readings = () => h.greenApi.callsOf("showMessagesQueue", SHOP.idInstance).length;
    const before = readings();
    shop.queueMessage("order 1", Date.now(), "BAE5DE8CA9000001");
    shop.queueMessage("order 2", Date.now(), "BAE5DE8CA9000002");
    // The queue grows after its first reading: growth is not movement (stuck 2.5 s later).
    await eventually(() => readings() > before, "a reading of the two");
    shop.queueMessage("order 3", Date.now(), "BAE5DE8CA9000003");

    const alert = await eventually(() => stuckAlerts(h)[0], "the stuck-queue alert", 15_000);
    expect(alert.text).toMatch(
      /^📤 shop says authorized but 3 messages have waited for (less than a minute|\d+ min)\n\n/,
    );
    expect(alert.text).toContain("tap Reboot");
    expect(alert.text).not.toContain("order"); // customers' messages never reach a chat
    expect(buttonsOf(alert)).toEqual(["🔁 Reboot"]);
    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    expect(metrics).toMatch(/^greenlight_instances_stuck 1$/m);

    // The existing confirmed reboot: Yes/No first, then one reboot.
    press(h, alert, "🔁 Reboot");
    const question = await eventually(
      () => textMessages(h).find((m) => m.text?.startsWith("🔁 Reboot shop?")),
      "the reboot confirmation",
    );
    press(h, question, "✅ Yes, reboot");
    await eventually(() => h.greenApi.callsOf("reboot", SHOP.idInstance).length === 1, "reboot");

    shop.sendQueued();
    const cleared = await eventually(() => {
      const now = h.telegram.message(OPERATOR, alert.messageId);
      return now?.text?.startsWith("✅") ? now : undefined;
    }, "the alert cleared");
    expect(cleared.text).toMatch(/^✅ shop's queue is moving again \(after /);
    expect(buttonsOf(cleared)).toEqual([]);
    await checksPass(h, SHOP, 3);
    expect(stuckAlerts(h)).toHaveLength(1);
    expect(alertsIn(h)).toEqual([]); // no down alert either: the instance stayed authorized
  });

  it("reads the queue of authorized instances only, and not at all with STUCK_AFTER_MS=0", async () => {
    h = await startWatching({ env: FAST_QUEUE, instances: [SHOP, SUPPORT] });
    const support = h.greenApi.instance(SUPPORT.idInstance);
    support.state = "notAuthorized";
    support.queueMessage("waits for a login");
    await checksPass(h, [SHOP, SUPPORT], 2);
    const readingsBefore = h.greenApi.callsOf("showMessagesQueue", SUPPORT.idInstance).length;
    await eventually(
      () => h.greenApi.callsOf("showMessagesQueue", SHOP.idInstance).length >= 2,
      "shop's queue read twice",
    );
    await checksPass(h, SUPPORT, 3);
    // At most the one reading of its first check, made while it was still authorized.
    expect(h.greenApi.callsOf("showMessagesQueue", SUPPORT.idInstance).length).toBe(readingsBefore);
    expect(readingsBefore).toBeLessThanOrEqual(1);
    await h.close();

    h = await startWatching({ env: { STUCK_AFTER_MS: "0" } });
    await checksPass(h, SHOP, 3);
    expect(h.greenApi.callsOf("showMessagesQueue", SHOP.idInstance)).toEqual([]);
  });
});
