import { describe, expect, it } from "vitest";
import {
  type AlertRules,
  autoRebootDue,
  DEFAULT_RULES,
  escalationDue,
  type Observation,
  observe,
} from "../../src/alerts/transitions.js";
import type { AlertItem, InstanceWatch } from "../../src/alerts/watch-state.js";
import type { StateInstance } from "../../src/green-api/schemas.js";
import { timeOfId } from "../../src/pairing/closures.js";
import { buttonPhone } from "../../src/pairing/known-phones.js";
import { closureLines, renderAlert } from "../../src/telegram/alert-view.js";
import { textsFor } from "../../src/telegram/i18n/index.js";

const DAY = 24 * 3_600_000;
const rules: AlertRules = { ...DEFAULT_RULES, alertChats: [1, 2] };
const poll = (state: StateInstance, at: number): Observation => ({
  kind: "state",
  state,
  at,
  source: "poll",
});

function run(observations: Observation[], r: AlertRules = rules, start?: InstanceWatch) {
  let watch = start;
  const warnings: number[] = [];
  for (const observation of observations) {
    const outcome = observe(watch, observation, r);
    if (outcome.offlineWarning !== undefined) warnings.push(outcome.offlineWarning);
    watch = outcome.watch;
  }
  return { watch, warnings };
}

describe("the fix for every known state (pure decisions)", () => {
  it.each([
    // [state, how long it holds (min), alerts?]
    ["starting", 4, false],
    ["starting", 6, true],
    ["sleepMode", 4, false],
    ["yellowCard", 0, true],
    ["blocked", 0, true],
    ["notAuthorized", 0, true],
  ] as const)("%s held %i min alerts: %s", (state, minutes, alerts) => {
    const at = minutes * 60_000;
    const { watch } = run([poll("authorized", 0), poll(state, 1), poll(state, at + 1)]);
    expect(watch?.down !== undefined).toBe(alerts);
  });

  it("STARTING_TOO_LONG_MS sets how long `starting` is normal, apart from sleepMode", () => {
    const quick = { ...rules, startingTooLongMs: 60_000 };
    expect(
      run([poll("authorized", 0), poll("starting", 1), poll("starting", 61_001)], quick).watch?.down
        ?.state,
    ).toBe("starting");
    expect(
      run([poll("authorized", 0), poll("sleepMode", 1), poll("sleepMode", 61_001)], quick).watch
        ?.down,
    ).toBeUndefined();
  });

  it("AUTO_REBOOT_STARTING is due once per incident, only while starting, only when on", () => {
    const on = { ...rules, autoRebootStarting: true };
    const stuck = run(
      [poll("authorized", 0), poll("starting", 1), poll("starting", 6 * 60_000)],
      on,
    ).watch;
    expect(stuck && autoRebootDue(stuck, on)).toBe(true);
    expect(stuck && autoRebootDue(stuck, rules)).toBe(false);
    if (stuck?.down) stuck.down.autoRebootAt = 6 * 60_000;
    expect(stuck && autoRebootDue(stuck, on)).toBe(false);
    const loggedOut = run(
      [poll("authorized", 0), poll("notAuthorized", 1), poll("notAuthorized", 2)],
      on,
    ).watch;
    expect(loggedOut && autoRebootDue(loggedOut, on)).toBe(false);
  });

  it("phone offline: one warning per threshold, the stretch survives reboots and ends when the phone is back", () => {
    const observations = [poll("authorized", 0)];
    for (let day = 0; day <= 14; day++) observations.push(poll("sleepMode", 1 + day * DAY));
    observations.push(poll("starting", 14 * DAY + 2), poll("sleepMode", 14 * DAY + 3));
    const { watch, warnings } = run(observations);
    expect(warnings).toEqual([10 * DAY, 13 * DAY]);
    expect(watch?.offline?.warned).toEqual([10 * DAY, 13 * DAY]);
    const back = run([poll("authorized", 15 * DAY)], rules, watch);
    expect(back.watch?.offline).toBeUndefined();
    // A new stretch warns again.
    const again = run(
      [poll("sleepMode", 16 * DAY), poll("sleepMode", 26 * DAY + 1)],
      rules,
      back.watch,
    );
    expect(again.warnings).toEqual([10 * DAY]);
  });

  it("escalation is due once, for an unclaimed incident older than ESCALATE_AFTER_MS", () => {
    const r = { ...rules, escalateAfterMs: 60_000, escalationChats: [-5] };
    const incident = { since: 0, initial: false, unsent: [], messages: [] };
    expect(escalationDue(incident, 59_999, r)).toBe(false);
    expect(escalationDue(incident, 60_000, r)).toBe(true);
    expect(escalationDue({ ...incident, claimedBy: "Ivan" }, 60_000, r)).toBe(false);
    expect(escalationDue({ ...incident, escalatedAt: 60_000 }, 70_000, r)).toBe(false);
    expect(escalationDue(incident, 60_000, { ...r, escalationChats: [] })).toBe(false);
    expect(escalationDue(incident, 60_000, rules)).toBe(false);
  });
});

describe("alert text and buttons per state", () => {
  const t = textsFor("en");
  const down = (state: StateInstance, extra: Partial<AlertItem> = {}): AlertItem => ({
    kind: "down",
    instance: "shop",
    state,
    since: Date.UTC(2026, 0, 1, 3, 0),
    initial: false,
    ...extra,
  });
  const buttons = (item: AlertItem) =>
    renderAlert([item], t).keyboard.inline_keyboard.map((row) =>
      row.map((button) => ("url" in button ? `${button.text} → ${button.url}` : button.text)),
    );

  it.each([
    ["notAuthorized", {}, [["📱 QR", "🔢 Pairing code"]]],
    [
      "notAuthorized",
      { phone: "79001234567" },
      [["📱 QR", "🔢 Code to +7 900 ···67"], ["📞 Another number"]],
    ],
    ["starting", {}, [["🔁 Reboot"]]],
    [
      "yellowCard",
      {},
      [["🔁 Reboot", "ℹ️ What is yellowCard? → https://green-api.com/en/docs/faq/yellowCard/"]],
    ],
    ["blocked", {}, []],
    ["sleepMode", {}, []],
    ["suspended", {}, []],
  ] as const)("%s %j: %j", (state, extra, expected) => {
    expect(buttons(down(state, extra))).toEqual(expected);
  });

  it("says what each state needs, and what no button can fix", () => {
    const text = (state: StateInstance) => renderAlert([down(state)], t).text;
    expect(text("blocked")).toContain("No button here can fix that");
    expect(text("sleepMode")).toContain("No QR is needed");
    expect(text("yellowCard")).toContain("reboot the instance");
    expect(text("starting")).toContain("reboot, then a check after a couple of minutes");
  });

  it("an auto reboot, a claim and a closure show on the alert", () => {
    const at = Date.UTC(2026, 0, 1, 3, 6);
    const auto = renderAlert([down("starting", { autoRebootAt: at, claimedBy: "Ivan" })], t).text;
    expect(auto).toMatch(/🔁 Stuck starting: greenlight rebooted it at \d\d:\d\d/);
    expect(auto).toContain("👤 Ivan is on it");
    const linked = renderAlert(
      [down("notAuthorized", { endedAt: at + 11 * 60_000, linkedBy: "Ivan <b>" })],
      t,
    );
    expect(linked.text).toMatch(
      /^✅ <b>shop<\/b> linked by Ivan &lt;b&gt; at \d\d:\d\d \S+ \(down 17 min\)$/,
    );
    expect(linked.keyboard.inline_keyboard).toEqual([]);
  });

  it("an offline warning says how long and what WhatsApp does after 14 days", () => {
    const view = renderAlert(
      [{ kind: "offline", instance: "shop", since: 0, initial: false, offlineForMs: 10 * DAY }],
      t,
    );
    expect(view.text).toBe(
      "😴 <b>shop</b>'s phone has been offline for 10 d: WhatsApp logs it out after 14 days. Bring the phone online (power, internet, open WhatsApp).",
    );
    expect(view.keyboard.inline_keyboard).toEqual([]);
  });

  it("closure lines: who, when, the backlog (or none)", () => {
    expect(closureLines(undefined, t)).toEqual([]);
    const lines = closureLines({ by: "Ivan", at: 0, queued: { count: 1 } }, t);
    expect(lines[0]).toMatch(/^👤 Linked by Ivan at /);
    expect(lines[1]).toBe(
      "📤 1 message GREEN-API queued while it was down is going out now. GREEN-API keeps queued messages for 24 h.",
    );
    expect(closureLines({ at: 0, queued: { count: 0 } }, t)).toEqual([
      "📭 No messages were waiting in GREEN-API's queue.",
    ]);
  });

  it("buttons mask the number shortly; queued ids are times only when they look like one", () => {
    expect(buttonPhone("79001234567")).toBe("+7 900 ···67");
    expect(buttonPhone("4930123456")).toBe("+49 30 ···56");
    const now = Date.UTC(2026, 0, 2);
    expect(timeOfId(String(now - 60_000), now)).toBe(now - 60_000);
    expect(timeOfId(String(now - 2 * DAY), now)).toBeUndefined();
    expect(timeOfId("BAE5849D7A78175C", now)).toBeUndefined();
    expect(timeOfId(undefined, now)).toBeUndefined();
  });
});
