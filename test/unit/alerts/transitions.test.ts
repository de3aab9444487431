import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlertRules,
  DEFAULT_RULES,
  type Observation,
  observe,
  recheckDue,
} from "../../../src/alerts/transitions.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";

const rules: AlertRules = { ...DEFAULT_RULES, alertChats: [1, 2] };
const poll = (state: StateInstance, at: number): Observation => ({
  kind: "state",
  state,
  at,
  source: "poll",
});

function run(observations: Observation[], start?: InstanceWatch) {
  let watch = start;
  const opened: number[] = [];
  const ended: string[] = [];
  for (const observation of observations) {
    const outcome = observe(watch, observation, rules);
    if (outcome.watch.down && !watch?.down) opened.push(observation.at);
    for (const e of outcome.ended) ended.push(e.kind);
    watch = outcome.watch;
  }
  return { watch, opened, ended };
}

describe("watcher transitions (pure)", () => {
  it("opens one incident after two bad checks in a row, for every alert chat, and ends it on authorized", () => {
    const { watch, opened, ended } = run([
      poll("authorized", 0),
      poll("notAuthorized", 1),
      poll("notAuthorized", 2),
      poll("notAuthorized", 3),
    ]);
    expect(opened).toEqual([2]);
    expect(watch?.down).toMatchObject({ state: "notAuthorized", since: 1, unsent: [1, 2] });
    expect(ended).toEqual([]);
    expect(run([poll("authorized", 4)], watch).ended).toEqual(["down"]);
  });

  it("never alerts while bad states never hold for two checks in a row", () => {
    const bad = fc.constantFrom<StateInstance>("notAuthorized", "blocked", "yellowCard");
    fc.assert(
      fc.property(fc.array(bad, { maxLength: 30 }), (states) => {
        const observations = [poll("authorized", 0)];
        states.forEach((state, i) => {
          observations.push(poll(state, 2 * i + 1), poll("authorized", 2 * i + 2));
        });
        expect(run(observations).opened).toEqual([]);
      }),
    );
  });

  it("a webhook's bad state opens the incident at once; starting alerts only when held past the grace", () => {
    const webhook: Observation = { kind: "state", state: "blocked", at: 5, source: "webhook" };
    expect(run([poll("authorized", 0), webhook]).opened).toEqual([5]);
    const grace = DEFAULT_RULES.transientGraceMs;
    const starting = run([
      poll("authorized", 0),
      poll("starting", 1),
      poll("starting", 2),
      poll("starting", grace),
      poll("starting", grace + 1),
    ]);
    expect(starting.opened).toEqual([grace + 1]);
  });

  it("reports instances already down on the first check (the start-up summary)", () => {
    const { watch, opened } = run([poll("notAuthorized", 7)]);
    expect(opened).toEqual([7]);
    expect(watch?.down?.initial).toBe(true);
  });

  it("counts unreachable checks apart from states: an incident after three, ended by the next answer", () => {
    const down: Observation = { kind: "unreachable", at: 1 };
    const two = run([poll("authorized", 0), down, { ...down, at: 2 }]);
    expect(two.watch?.unreachable).toBeUndefined();
    const three = run([{ kind: "unreachable", at: 3 }], two.watch);
    expect(three.watch?.unreachable).toMatchObject({ since: 1 });
    expect(three.watch?.down).toBeUndefined();
    expect(run([poll("authorized", 4)], three.watch).ended).toEqual(["unreachable"]);
  });
});

describe("the quick second check (recheckDue)", () => {
  const after = (...observations: Observation[]) => run(observations).watch;
  it.each([
    ["a logout seen once", [poll("authorized", 0), poll("notAuthorized", 1)], true],
    ["a ban seen once", [poll("authorized", 0), poll("blocked", 1)], true],
    [
      "a confirmed logout (already alerted)",
      [poll("authorized", 0), poll("notAuthorized", 1), poll("notAuthorized", 2)],
      false,
    ],
    ["an instance down at start (alerted at once)", [poll("notAuthorized", 1)], false],
    [
      "starting seen once (waits out its grace instead)",
      [poll("authorized", 0), poll("starting", 1)],
      false,
    ],
    ["sleepMode seen once", [poll("authorized", 0), poll("sleepMode", 1)], false],
    [
      "authorized again",
      [poll("authorized", 0), poll("notAuthorized", 1), poll("authorized", 2)],
      false,
    ],
    ["never checked", [], false],
  ] as const)("%s → %s", (_, observations, due) => {
    expect(recheckDue(after(...observations), rules)).toBe(due);
  });
});
