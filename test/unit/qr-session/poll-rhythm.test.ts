import { describe, expect, it } from "vitest";
import {
  emptyRhythm,
  lockOf,
  observePoll,
  planPoll,
  type Rhythm,
  type RhythmSettings,
  type Rotation,
} from "../../../src/qr-session/poll-rhythm.js";

// Phase-locked polling as pure functions, on a fake clock: no timers, no wall-clock assertions.
const SETTINGS: RhythmSettings = { steadyMs: 1_000, fastMs: 400, phaseLocked: true };
const STEADY: RhythmSettings = { ...SETTINGS, phaseLocked: false };

/** Rotations every `periodMs`, each seen by polls `widthMs` apart. */
const rotations = (count: number, periodMs: number, widthMs = 1_000, start = 5_000): Rotation[] =>
  Array.from({ length: count }, (_, i) => ({
    after: start + i * periodMs - widthMs / 2,
    by: start + i * periodMs + widthMs / 2,
  }));

interface World {
  /** When each QR became current (GREEN-API's clock); QR k is current from rotateAt[k-1]. */
  rotateAt: number[];
  /** The instance logs in at this time: no QR any more. */
  loginAt?: number;
  rttMs: number;
  /** How late the n-th poll goes out after its time (a heartbeat first, a busy event loop). */
  lateMs?: (n: number) => number;
}

/** Polls the world as the session would, from t = 0 to `untilMs`; what it saw and when. */
function simulate(world: World, untilMs: number, settings = SETTINGS) {
  let rhythm: Rhythm = emptyRhythm;
  let now = 0;
  let shown = 0;
  const polls: number[] = [];
  const seenRotations: Array<{ rotation: number; delayMs: number; at: number }> = [];
  let loginSeenAt: number | undefined;
  while (now < untilMs && loginSeenAt === undefined) {
    now = planPoll(rhythm, now, settings).at + (world.lateMs?.(polls.length) ?? 0);
    polls.push(now);
    const servedAt = now + world.rttMs / 2;
    const answeredAt = now + world.rttMs;
    if (world.loginAt !== undefined && servedAt >= world.loginAt) {
      loginSeenAt = answeredAt;
      rhythm = observePoll(rhythm, { kind: "no-qr" }, now, answeredAt, settings);
      break;
    }
    const qr = world.rotateAt.filter((t) => t <= servedAt).length;
    if (qr !== shown) {
      const rotatedAt = world.rotateAt[qr - 1] as number;
      seenRotations.push({ rotation: qr, delayMs: answeredAt - rotatedAt, at: now });
      shown = qr;
    }
    rhythm = observePoll(rhythm, { kind: "qr", hash: `qr${qr}` }, now, answeredAt, settings);
    now = answeredAt;
  }
  return { polls, seenRotations, loginSeenAt, rhythm };
}

/** Rotations every `periodMs` (+ up to `jitterMs`), the first at `phaseMs`. */
function rotatingEvery(periodMs: number, phaseMs: number, count: number, jitterMs = 0): number[] {
  const times: number[] = [];
  let t = phaseMs;
  for (let i = 0; i < count; i++) {
    times.push(t);
    t += periodMs + ((i * 7919) % 11) * (jitterMs / 10); // deterministic "jitter"
  }
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};

describe("phase-locked polling: learning the rotation (pure)", () => {
  it.each<[string, Rotation[], "locked" | "not locked", number?]>([
    ["one rotation says nothing", rotations(1, 20_000), "not locked"],
    [
      "two rotations: a period, but nothing to check it against",
      rotations(2, 20_000),
      "not locked",
    ],
    ["three rotations 20 s apart: locked to 20 s", rotations(3, 20_000), "locked", 20_000],
    [
      "three rotations 12 s apart: 12 s, not the documented 20",
      rotations(3, 12_000),
      "locked",
      12_000,
    ],
    ["three rotations 31 s apart: 31 s", rotations(3, 31_000), "locked", 31_000],
    [
      "the second gap twice the first: irregular",
      [...rotations(2, 20_000), { after: 64_500, by: 65_500 }],
      "not locked",
    ],
    [
      "a rotation 3 s late among regular ones: irregular",
      [...rotations(3, 20_000), { after: 67_500, by: 68_500 }],
      "not locked",
    ],
    [
      "rotations a second apart: too fast to be GREEN-API's rotation",
      rotations(4, 1_000, 200),
      "not locked",
    ],
  ])("%s", (_name, seen, expected, periodMs) => {
    const lock = lockOf(seen);
    expect(lock ? "locked" : "not locked").toBe(expected);
    if (lock && periodMs !== undefined) {
      expect(Math.abs(lock.periodMs - periodMs)).toBeLessThan(1_000);
      // The next rotation's window lies one period after the last one seen.
      const last = seen.at(-1) as Rotation;
      const expectedNext = (last.after + last.by) / 2 + periodMs;
      expect(lock.from).toBeLessThanOrEqual(expectedNext);
      expect(lock.to).toBeGreaterThanOrEqual(expectedNext);
    }
  });

  it("learns a rotation from the polls on either side of it, and nothing from an unchanged QR", () => {
    let r = observePoll(emptyRhythm, { kind: "qr", hash: "a" }, 1_000, 1_010, SETTINGS);
    r = observePoll(r, { kind: "qr", hash: "a" }, 2_000, 2_010, SETTINGS);
    expect(r.rotations).toEqual([]);
    r = observePoll(r, { kind: "qr", hash: "b" }, 3_000, 3_010, SETTINGS);
    expect(r.rotations).toEqual([{ after: 2_000, by: 3_010 }]);
  });

  it.each<[string, (r: Rhythm) => Rhythm]>([
    [
      "no QR in an answer (logging in, an error)",
      (r) => observePoll(r, { kind: "no-qr" }, 70_000, 70_010, SETTINGS),
    ],
    [
      "the rotation late: still the old QR a whole fast poll after the window",
      (r) =>
        observePoll(
          r,
          { kind: "qr", hash: r.last?.hash ?? "" },
          (lockOf(r.rotations)?.to ?? 0) + 401,
          (lockOf(r.rotations)?.to ?? 0) + 411,
          SETTINGS,
        ),
    ],
    [
      "the rotation early: a new QR well before the window",
      (r) => observePoll(r, { kind: "qr", hash: "a new one" }, 55_000, 55_010, SETTINGS),
    ],
  ])("falls back to steady polling until it has learned again: %s", (_name, irregular) => {
    const world = { rotateAt: rotatingEvery(20_000, 5_000, 4), rttMs: 10 };
    const { rhythm } = simulate(world, 46_000);
    expect(lockOf(rhythm.rotations)).toBeDefined();
    const after = irregular(rhythm);
    expect(lockOf(after.rotations)).toBeUndefined();
    const last = after.lastPollAt as number;
    expect(planPoll(after, last, SETTINGS)).toEqual({ at: last + 1_000, window: false });
  });
});

describe("phase-locked polling: the schedule (pure)", () => {
  it("polls steadily, on the clock, until it has learned (no drift from the time a tick took)", () => {
    const r = observePoll(emptyRhythm, { kind: "qr", hash: "a" }, 10_000, 10_300, SETTINGS);
    expect(planPoll(r, 10_300, SETTINGS)).toEqual({ at: 11_000, window: false });
    // A tick that overran its slot polls at once, not a whole interval later.
    expect(planPoll(r, 11_200, SETTINGS)).toEqual({ at: 11_200, window: false });
    expect(planPoll(emptyRhythm, 5, SETTINGS)).toEqual({ at: 5, window: false });
  });

  it("QR_POLL_SCHEDULE=steady never locks, however regular the rotation", () => {
    const world = { rotateAt: rotatingEvery(20_000, 5_000, 10), rttMs: 10 };
    const { polls } = simulate(world, 200_000, STEADY);
    const gaps = polls.slice(1).map((t, i) => t - (polls[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_000);
  });

  it.each([
    ["20 s, GREEN-API's documented period", 20_000, 0, 0],
    ["20 s with up to 10 ms of timer jitter", 20_000, 10, 0],
    ["20 s, each poll going out up to 40 ms late", 20_000, 5, 40],
    ["15 s", 15_000, 0, 0],
    ["30 s", 30_000, 5, 15],
  ])(
    "at %s: locks within 4 rotations, sees rotations sooner, at the calls of 1 s polling, never over 3/s",
    (_name, periodMs, jitterMs, lateMs) => {
      const world = {
        rotateAt: rotatingEvery(periodMs, 3_333, 40, jitterMs),
        rttMs: 20,
        lateMs: (n: number) => ((n * 37) % 41) * (lateMs / 40),
      };
      const until = 30 * periodMs;
      const { polls, seenRotations } = simulate(world, until);
      expect(seenRotations).toHaveLength(world.rotateAt.filter((t) => t < until).length);

      // GREEN-API's 3/s: never two qr calls closer than the limiter's 400 ms (the fake per-second
      // window holds at most 3 of them).
      const gaps = polls.slice(1).map((t, i) => t - (polls[i] as number));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(400);
      for (const t of polls)
        expect(polls.filter((u) => u > t - 1_000 && u <= t).length).toBeLessThanOrEqual(3);
      // Login and errors still seen within about one poll interval: no gap over 1.5 intervals.
      expect(Math.max(...gaps)).toBeLessThanOrEqual(1_500);

      // Once locked (from the 5th rotation on): sooner than 1 s polling's ~500 ms on average.
      const locked = seenRotations.filter((s) => s.rotation >= 5);
      const delays = locked.map((s) => s.delayMs);
      expect(percentile(delays, 50)).toBeLessThan(250);
      expect(percentile(delays, 95)).toBeLessThanOrEqual(450);

      // qr calls per rotation within ±15 % of 1 s polling's.
      const from = world.rotateAt[4] as number;
      const windowPolls = polls.filter((t) => t >= from && t < until).length;
      const windowRotations = world.rotateAt.filter((t) => t >= from && t < until).length;
      const perRotation = windowPolls / windowRotations;
      expect(perRotation).toBeGreaterThanOrEqual(0.85 * (periodMs / 1_000));
      expect(perRotation).toBeLessThanOrEqual(1.15 * (periodMs / 1_000));
    },
  );

  it.each([7_100, 13_900, 17_250])(
    "sees a login at %i ms within one and a half poll intervals, locked or not",
    (loginAt) => {
      const world = {
        rotateAt: rotatingEvery(20_000, 1_000, 10),
        loginAt: 100_000 + loginAt,
        rttMs: 20,
      };
      const { loginSeenAt, rhythm } = simulate(world, 200_000);
      expect(loginSeenAt).toBeDefined();
      expect((loginSeenAt as number) - (world.loginAt as number)).toBeLessThanOrEqual(1_500 + 20);
      expect(rhythm.rotations).toEqual([]);
    },
  );

  it("relearns after the rotation changes its phase, and locks again", () => {
    // Regular, then GREEN-API restarts the rotation 7 s off its old phase.
    const before = rotatingEvery(20_000, 2_000, 6);
    const after = rotatingEvery(20_000, (before.at(-1) as number) + 27_000, 20);
    const world = { rotateAt: [...before, ...after], rttMs: 20 };
    const { seenRotations } = simulate(world, 500_000);
    const late = seenRotations.filter((s) => s.rotation >= 6 + 5).map((s) => s.delayMs);
    expect(seenRotations).toHaveLength(world.rotateAt.filter((t) => t < 500_000).length);
    expect(percentile(late, 50)).toBeLessThan(250);
  });
});
