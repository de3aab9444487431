import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlertRules,
  DEFAULT_RULES,
  type Observation,
  observe,
} from "../../../src/alerts/transitions.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";

const MIN = 60_000;
const rules: AlertRules = { ...DEFAULT_RULES, alertChats: [7], stuckAfterMs: 15 * MIN };

const poll = (state: StateInstance, at: number): Observation => ({
  kind: "state",
  state,
  at,
  source: "poll",
});
/** A queue reading at minute `m`: its size and its first message's id. */
const queue = (m: number, size: number, head?: string): Observation => ({
  kind: "queue",
  size,
  at: m * MIN,
  ...(head ? { head } : {}),
});

/** Runs the observations from an authorized instance; what opened and ended, and when (minutes). */
function run(observations: Observation[], withRules: AlertRules = rules) {
  let watch: InstanceWatch | undefined = observe(undefined, poll("authorized", 0), withRules).watch;
  const opened: Array<{ at: number; queued?: number; waitedMin?: number }> = [];
  const ended: number[] = [];
  for (const observation of observations) {
    const before = watch?.stuck;
    const outcome = observe(watch, observation, withRules);
    const stuck = outcome.watch.stuck;
    if (stuck && !before) {
      opened.push({
        at: observation.at / MIN,
        queued: stuck.queued,
        waitedMin: (stuck.waitedMs ?? 0) / MIN,
      });
    }
    for (const e of outcome.ended) if (e.kind === "stuck") ended.push(e.at / MIN);
    watch = outcome.watch;
  }
  return { watch, opened, ended };
}

describe("stuck queue decision (pure)", () => {
  const table: Array<{
    name: string;
    observations: Observation[];
    opened: number[];
    ended: number[];
  }> = [
    {
      name: "an empty queue never alerts",
      observations: [queue(0, 0), queue(20, 0), queue(40, 0)],
      opened: [],
      ended: [],
    },
    {
      name: "a queue that does not move for 15 min alerts once, at the first reading past it",
      observations: [queue(1, 3, "BAE1"), queue(10, 3, "BAE1"), queue(16, 3, "BAE1")],
      opened: [16],
      ended: [],
    },
    {
      name: "a growing queue whose first message stays is stuck (growth is not movement)",
      observations: [queue(0, 1, "BAE1"), queue(8, 4, "BAE1"), queue(15, 9, "BAE1")],
      opened: [15],
      ended: [],
    },
    {
      name: "a queue that shrinks restarts the clock: busy, not stuck",
      observations: [queue(0, 9, "BAE1"), queue(10, 5, "BAE1"), queue(20, 5, "BAE1")],
      opened: [],
      ended: [],
    },
    {
      name: "a queue whose first message changes moves (sent), even at the same size",
      observations: [queue(0, 4, "BAE1"), queue(10, 4, "BAE2"), queue(20, 4, "BAE3")],
      opened: [],
      ended: [],
    },
    {
      name: "without ids only the size counts",
      observations: [queue(0, 2), queue(10, 2), queue(15, 2)],
      opened: [15],
      ended: [],
    },
    {
      name: "a stuck queue that drains ends the alert",
      observations: [queue(0, 2, "BAE1"), queue(15, 2, "BAE1"), queue(16, 0)],
      opened: [15],
      ended: [16],
    },
    {
      name: "a stuck queue that moves again ends the alert; stuck again later alerts again",
      observations: [
        queue(0, 2, "BAE1"),
        queue(15, 2, "BAE1"),
        queue(17, 1, "BAE2"),
        queue(31, 1, "BAE2"),
        queue(32, 1, "BAE2"),
      ],
      opened: [15, 32],
      ended: [17],
    },
    {
      name: "a logout ends the stuck alert (the down alert takes over) and forgets the queue",
      observations: [queue(0, 2, "BAE1"), queue(15, 2, "BAE1"), poll("notAuthorized", 16 * MIN)],
      opened: [15],
      ended: [16],
    },
    {
      name: "a queue read while not authorized says nothing (messages wait for a login)",
      observations: [
        poll("notAuthorized", 1),
        poll("notAuthorized", 2),
        queue(1, 5, "BAE1"),
        queue(30, 5, "BAE1"),
      ],
      opened: [],
      ended: [],
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      const { opened, ended } = run(row.observations);
      expect(opened.map((o) => o.at)).toEqual(row.opened);
      expect(ended).toEqual(row.ended);
    });
  }

  it("the alert says how many messages wait and for how long, to every alert chat", () => {
    const { watch, opened } = run([
      queue(0, 3, "BAE1"),
      queue(10, 5, "BAE1"),
      queue(16, 6, "BAE1"),
    ]);
    expect(opened).toEqual([{ at: 16, queued: 6, waitedMin: 16 }]);
    expect(watch?.stuck).toMatchObject({ since: 0, unsent: [7], messages: [] });
  });

  it("STUCK_AFTER_MS=0 turns the check off", () => {
    const off = { ...rules, stuckAfterMs: 0 };
    const { opened, watch } = run([queue(0, 3, "BAE1"), queue(60, 3, "BAE1")], off);
    expect(opened).toEqual([]);
    expect(watch?.queue).toBeUndefined();
  });

  it("a queue reading never opens or ends a down incident, nor moves checkedAt", () => {
    const { watch } = run([queue(0, 3, "BAE1"), queue(20, 3, "BAE1")]);
    expect(watch?.down).toBeUndefined();
    expect(watch?.checkedAt).toBe(0);
  });

  it("never alerts while the queue moves at least every 15 minutes, whatever its size", () => {
    const step = fc.record({
      gapMin: fc.integer({ min: 1, max: 14 }),
      size: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let at = 0;
        const observations = steps.map(({ gapMin, size }, i) => {
          at += gapMin;
          return queue(at, size, `BAE${i}`);
        });
        expect(run(observations).opened).toEqual([]);
      }),
    );
  });
});
