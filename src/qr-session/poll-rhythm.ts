/**
 * When a QR session asks GREEN-API for the QR next: phase-locked polling, as pure functions (table
 * tests in test/unit/qr-session/poll-rhythm.test.ts; the model is alerts/transitions.ts).
 *
 * GREEN-API rotates an instance's QR on its own clock, documented as about every 20 s: measured
 * here, never assumed. Each rotation a session sees lies between the last poll that still brought
 * the old QR (sent at `after`) and the first that brought the new one (answered at `by`). Once
 * three rotations in a row agree on a period, the session knows a window where the next one is
 * due; it polls at GREEN-API's limit (one call per `fastMs`, 3/s) only there and slower in between,
 * so a rotation costs the calls of steady polling. Each window's polls split it, so the window
 * narrows rotation by rotation down to the clock's jitter. A rotation early or late, or no QR at
 * all: steady polling until three regular rotations again.
 */

export interface RhythmSettings {
  /** Steady polling, and the average rate phase-locked polling keeps (QR_POLL_INTERVAL_MS). */
  steadyMs: number;
  /** The closest two qr calls may be: GREEN-API allows 3/s, the shared limiter books 400 ms. */
  fastMs: number;
  /** false: steady polling only (QR_POLL_SCHEDULE=steady). */
  phaseLocked: boolean;
}

/** A rotation: after the poll sent at `after` (old QR), by the answer at `by` (new QR). */
export interface Rotation {
  after: number;
  by: number;
}

export interface Rhythm {
  /** The QR last seen, and when the last poll that brought it was sent. */
  last?: { hash: string; sentAt: number };
  /** When the last poll (whatever it brought) was sent. */
  lastPollAt?: number;
  /** Rotations seen in a row that agree on one period, oldest first. */
  rotations: readonly Rotation[];
}

/** What the rotations so far say: the period, and where the next rotation is due. */
export interface Lock {
  periodMs: number;
  from: number;
  to: number;
}

export type PollSeen = { kind: "qr"; hash: string } | { kind: "no-qr" };

export interface PollPlan {
  /** When to send the next poll (never before `now`). */
  at: number;
  /** In the window around an expected rotation: no state check then (it would delay the poll). */
  window: boolean;
}

/** Rotations in a row before the rhythm is trusted (two periods that agree). */
export const MIN_ROTATIONS = 3;
const MAX_KEPT = 8;
/** How far a rotation may stray from the rhythm (timers, network) before the window misses it. */
export const JITTER_MS = 30;
/** A window this narrow is polled once, at its end: every rotation inside it is caught there. */
const NARROW_MS = 2 * JITTER_MS + 150;
/** How late a poll may go out after its time and still count as on it. */
const LATE_MS = 100;
const MIN_PERIOD_MS = 2_000;
const MAX_PERIOD_MS = 300_000;
/** A window wider than this share of the period is no rhythm worth locking to. */
const MAX_WINDOW_SHARE = 0.3;
/** Between windows, never slower than this multiple of steady polling (login, errors). */
const MAX_SLOW_FACTOR = 1.5;

export const emptyRhythm: Rhythm = { rotations: [] };

/** The rhythm after a poll sent at `sentAt` and answered at `answeredAt` brought `seen`. */
export function observePoll(
  rhythm: Rhythm,
  seen: PollSeen,
  sentAt: number,
  answeredAt: number,
  settings: RhythmSettings,
): Rhythm {
  // No QR (logging in, an error answer, GREEN-API still preparing one): whatever comes next starts
  // a new rhythm.
  if (seen.kind === "no-qr") return { lastPollAt: sentAt, rotations: [] };
  const last = rhythm.last;
  const seenNow = { hash: seen.hash, sentAt };
  if (!last) return { last: seenNow, lastPollAt: sentAt, rotations: [] };
  const lock = lockOf(rhythm.rotations);
  if (last.hash === seen.hash) {
    // Still the old QR a whole poll after the window: late; relearn.
    const late = lock !== undefined && sentAt > lock.to + settings.fastMs;
    return { last: seenNow, lastPollAt: sentAt, rotations: late ? [] : rhythm.rotations };
  }
  const rotation: Rotation = { after: last.sentAt, by: answeredAt };
  // Far outside its window: the rhythm changed; start again from this rotation. A little outside:
  // kept, and older rotations that disagree with it are let go below.
  const strayed =
    lock !== undefined &&
    (rotation.by < lock.from - settings.fastMs || rotation.after > lock.to + settings.fastMs);
  let rotations = strayed ? [rotation] : [...rhythm.rotations, rotation].slice(-MAX_KEPT);
  // Rotations that do not agree: keep the newest that do (at worst the last two), relearn.
  while (rotations.length >= MIN_ROTATIONS && !lockOf(rotations)) rotations = rotations.slice(1);
  return { last: seenNow, lastPollAt: sentAt, rotations };
}

/**
 * The period and the next rotation's window, when the rotations agree on one. Every pair of
 * rotations bounds the period (the first and the last most closely); carried forward by it, each
 * rotation bounds the next one, and together they bound it closest.
 */
export function lockOf(rotations: readonly Rotation[]): Lock | undefined {
  const n = rotations.length;
  if (n < MIN_ROTATIONS) return undefined;
  let shortest = 0;
  let longest = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const [a, b] = [rotations[i] as Rotation, rotations[j] as Rotation];
      shortest = Math.max(shortest, (b.after - a.by - JITTER_MS) / (j - i));
      longest = Math.min(longest, (b.by - a.after + JITTER_MS) / (j - i));
    }
  }
  // No one period fits them all: irregular.
  if (shortest > longest) return undefined;
  const periodMs = (shortest + longest) / 2;
  if (periodMs < MIN_PERIOD_MS || periodMs > MAX_PERIOD_MS) return undefined;
  let from = -Infinity;
  let to = Infinity;
  rotations.forEach((r, i) => {
    const ahead = n - i;
    from = Math.max(from, r.after + ahead * shortest - JITTER_MS);
    to = Math.min(to, r.by + ahead * longest + JITTER_MS);
  });
  // Each agrees with the period, yet they disagree on the next rotation: irregular.
  if (from > to || to - from > MAX_WINDOW_SHARE * periodMs) return undefined;
  return { periodMs, from, to };
}

/** When to poll next, given the rhythm so far. */
export function planPoll(rhythm: Rhythm, now: number, settings: RhythmSettings): PollPlan {
  const base = rhythm.lastPollAt;
  if (base === undefined) return { at: now, window: false };
  const steady: PollPlan = { at: Math.max(now, base + settings.steadyMs), window: false };
  const lock = settings.phaseLocked ? lockOf(rhythm.rotations) : undefined;
  if (!lock) return steady;
  const { fastMs } = settings;
  const width = lock.to - lock.from;
  // A narrow window is polled at its end; a wider one first in its middle, which halves it.
  const anchor = width <= NARROW_MS ? lock.to : lock.from + width / 2;
  const firstInWindow = anchor - Math.floor((anchor - lock.from) / fastMs) * fastMs;
  const earliest = Math.max(now, base + fastMs);
  if (earliest <= firstInWindow) {
    const slow = base + slowMs(lock, firstInWindow, anchor, settings);
    // (A poll goes out a little after its time: a heartbeat first, a busy event loop.)
    if (slow + fastMs + LATE_MS <= firstInWindow) return { at: Math.max(now, slow), window: false };
    // A slow poll so close to the window that it would push the window's first one back: skip it,
    // or move it a fast poll ahead of the window when skipping it would leave too long a gap.
    if (firstInWindow - base <= MAX_SLOW_FACTOR * settings.steadyMs)
      return { at: Math.max(now, firstInWindow), window: true };
    return { at: Math.max(earliest, firstInWindow - fastMs), window: false };
  }
  // In the window (or past it, until a poll decides the rotation is late): on its grid; a grid
  // point missed by a little (the last poll went out late) is taken late rather than skipped.
  const steps = Math.ceil((earliest - LATE_MS - anchor) / fastMs);
  return { at: Math.max(earliest, anchor + steps * fastMs), window: true };
}

/** Between windows: the calls steady polling would make in a period, less the window's. */
function slowMs(lock: Lock, firstInWindow: number, anchor: number, settings: RhythmSettings) {
  const windowCalls = Math.round((anchor - firstInWindow) / settings.fastMs) + 2;
  const perPeriod = Math.max(1, Math.round(lock.periodMs / settings.steadyMs));
  const slowCalls = Math.max(1, perPeriod - windowCalls);
  const spread = (lock.periodMs - (lock.to - lock.from)) / slowCalls;
  return Math.min(MAX_SLOW_FACTOR * settings.steadyMs, Math.max(settings.fastMs, spread));
}
