import { describe, expect, it } from "vitest";
import {
  type AlertRules,
  autoRebootDue,
  DEFAULT_RULES,
  escalationDue,
  type Observation,
  observe,
} from "../../../src/alerts/transitions.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";

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

  const seen = (at: number): Observation => ({ kind: "phoneSeen", at });

  it("sleepMode alone warns of nothing: GREEN-API marks it 'Status is out of date', and greenlight never saw the phone", () => {
    const observations = [poll("authorized", 0)];
    for (let day = 0; day <= 14; day++) observations.push(poll("sleepMode", 1 + day * DAY));
    const { watch, warnings } = run(observations);
    expect(warnings).toEqual([]);
    expect(watch?.offline).toBeUndefined();
  });

  it("phone not seen sending: one warning per threshold, counted from the last outgoingMessageReceived, through reboots; a new message starts over", () => {
    const observations = [poll("authorized", 0), seen(DAY)];
    for (let day = 1; day <= 15; day++) observations.push(poll("authorized", day * DAY + 1));
    observations.push(poll("starting", 15 * DAY + 2), poll("authorized", 15 * DAY + 3));
    const { watch, warnings } = run(observations);
    expect(warnings).toEqual([10 * DAY, 13 * DAY]);
    expect(watch?.offline?.since).toBe(DAY);
    // A late notification of an older message never moves the clock back.
    expect(run([seen(DAY - 5)], rules, watch).watch?.phoneSeenAt).toBe(DAY);
    // The phone sent again: the stretch ends; a new one warns again, from there.
    const back = run([seen(16 * DAY)], rules, watch);
    expect(back.watch?.offline).toBeUndefined();
    const again = run(
      [poll("authorized", 26 * DAY), poll("authorized", 26 * DAY + 1)],
      rules,
      back.watch,
    );
    expect(again.warnings).toEqual([10 * DAY]);
  });

  it("a logged-out or banned instance gets no offline warning: its incident is the alert", () => {
    const { warnings } = run([seen(0), poll("notAuthorized", 11 * DAY), poll("blocked", 12 * DAY)]);
    expect(warnings).toEqual([]);
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
