import { emptyRhythm, observePoll, planPoll, type Rhythm } from "./poll-rhythm.js";
import type { SessionEnd } from "./session-end.js";
import type { SessionRecord } from "./session-record.js";

/**
 * Every decision of a running QR session, as a pure function: `next(state, observation, now)`
 * says what to do after each thing the runner observed (the lease, the chat's line, GREEN-API's
 * answer, Telegram's answer to an edit, a state check). SessionRunner only performs the actions
 * and reports what came of them. The model to read first is alerts/transitions.ts.
 *
 * One tick: lease → (line) → poll → (edit) → (state check) → wait → lease again. How long the
 * wait is, poll-rhythm.ts decides: steady polling, or phase-locked around the QR's rotation. Between ticks
 * the runner keeps the lease renewed, and checks it before each poll and edit: a poller that lost
 * it (frozen past it, say) is told so by a `lost` lease observation.
 */

export interface MachineSettings {
  pollIntervalMs: number;
  /** Poll at GREEN-API's limit only around the expected rotation (poll-rhythm.ts). */
  phaseLocked: boolean;
  /** The closest two qr polls may be (the shared limiter's booking for qr: 3/s). */
  fastPollMs: number;
  /**
   * How long the lease lasts unrenewed. Another poller holding it for twice this means it is
   * alive: give up.
   */
  leaseMs: number;
  stateCheckEveryMs: number;
  maxBackoffMs: number;
}

/** What the runner remembers between observations (the record lives in Redis). */
export interface MachineState {
  /** The record as of this tick's heartbeat. */
  record?: SessionRecord;
  /** No QR edits before this (Telegram's retry_after). */
  blockedUntil: number;
  failuresInARow: number;
  lastStateCheck: number;
  heldElsewhereSince?: number;
  /** Whether the QR source reports the login itself (a socket); then no state checks. */
  sourceReportsLogin: boolean;
  /** What the polls so far say about the QR's rotation. */
  rhythm: Rhythm;
  /** The message says GREEN-API is not answering: the next QR goes on screen, even a known one. */
  unansweredShown?: boolean;
}

/** Failed polls in a row after which the message says GREEN-API is not answering (and goes on). */
export const UNANSWERED_AFTER = 3;

export type PollAnswer =
  | { kind: "qr"; hash: string }
  | { kind: "nothing-yet" }
  | { kind: "already-logged" }
  | { kind: "needs-logout" }
  | { kind: "other-error" };

export type Observation =
  /** `lost`: this poller held the lease, and it lapsed or passed to another poller. */
  | { kind: "lease"; status: "gone" | "held-elsewhere" | "lost" }
  | { kind: "lease"; status: "held"; record: SessionRecord; placeInChat: number }
  /** The line card was shown (or had been), or the message is gone. */
  | { kind: "line-card"; gone: boolean }
  /** `sentAt`: when the poll was asked for (the answer came `now`); unset: now. */
  | { kind: "polled"; answer: PollAnswer; sentAt?: number }
  /** `timeout`, `other`: try again; the rest end the session (GREEN-API's 401, 403, 466). */
  | { kind: "poll-failed"; failure: PollFailure }
  | { kind: "edited"; hash: string; outcome: EditOutcome }
  | { kind: "state"; authorized: boolean };

export type PollFailure =
  "timeout" | "other" | "credentials-rejected" | "forbidden" | "quota-exceeded";

export type EditOutcome =
  | { kind: "done" }
  /** The bot's edit budget had no slot within a tick: the newest QR goes next tick. */
  | { kind: "no-budget" }
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "gone"; description?: string }
  | { kind: "failed"; description?: string }
  /** Telegram refused the request itself: repeating it every poll would only repeat that. */
  | { kind: "bug"; description?: string };

export type Action =
  /** Another session took over, or the record vanished: stop, touching nothing. */
  | { kind: "quit"; outcome: "replaced" }
  /** The message was deleted: forget the session, tell nobody. */
  | { kind: "quit"; outcome: "message-gone" }
  /**
   * The lease is no longer this poller's: stop at once, touching nothing (not even the lease),
   * and hand the job back; whoever holds the job and the lease now goes on.
   */
  | { kind: "quit"; outcome: "lease-lost" }
  /** Put the final card on screen, then forget the session. `authorized` looks up the phone. */
  | { kind: "end"; end: SessionEnd | { kind: "authorized" } }
  | { kind: "show-line-card"; place: number }
  | { kind: "start-running" }
  | { kind: "poll" }
  | { kind: "edit-qr"; hash: string }
  | { kind: "remember-shown"; hash: string }
  | { kind: "check-state" }
  /** GREEN-API has not answered UNANSWERED_AFTER polls: say so on the message, keep trying. */
  | { kind: "show-unanswered" }
  /** Then the next tick's heartbeat. `on: source` waits on the QR source (a socket may wake it). */
  | { kind: "wait"; ms: number; on: "clock" | "source" }
  | { kind: "log"; event: LogEvent };

export type LogEvent =
  | { kind: "poll-failed"; failuresInARow: number }
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "edit-failed"; reason?: string }
  | { kind: "edit-refused"; reason?: string }
  | { kind: "qr-error-answer" }
  | { kind: "message-gone" };

export interface Step {
  state: MachineState;
  actions: Action[];
}

export function initialState(now: number, sourceReportsLogin = false): MachineState {
  return {
    blockedUntil: 0,
    failuresInARow: 0,
    lastStateCheck: now,
    sourceReportsLogin,
    rhythm: emptyRhythm,
  };
}

export function next(
  state: MachineState,
  observation: Observation,
  now: number,
  settings: MachineSettings,
): Step {
  switch (observation.kind) {
    case "lease":
      return onLease(state, observation, now, settings);
    case "line-card":
      return observation.gone
        ? step(state, log({ kind: "message-gone" }), { kind: "quit", outcome: "message-gone" })
        : step(state, waitTick(settings));
    case "polled": {
      const { answer } = observation;
      const seen = answer.kind === "qr" ? { kind: "qr" as const, hash: answer.hash } : noQr;
      const sentAt = observation.sentAt ?? now;
      const rhythm = observePoll(state.rhythm, seen, sentAt, now, rhythmOf(settings));
      return onAnswer({ ...state, failuresInARow: 0, rhythm }, answer, now, settings);
    }
    case "poll-failed":
      return onPollFailure(state, observation.failure, settings);
    case "edited":
      return onEdited(state, observation, now, settings);
    case "state":
      return observation.authorized
        ? step(state, { kind: "end", end: { kind: "authorized" } })
        : step(state, { kind: "wait", ms: untilNextPoll(state, now, settings), on: "source" });
  }
}

function onLease(
  state: MachineState,
  lease: Extract<Observation, { kind: "lease" }>,
  now: number,
  settings: MachineSettings,
): Step {
  if (lease.status === "gone") return step(state, { kind: "quit", outcome: "replaced" });
  if (lease.status === "lost") return step(state, { kind: "quit", outcome: "lease-lost" });
  if (lease.status !== "held") {
    // We were handed its job after a stall while it still polls: let it finish unless its lease
    // lapses, and give up once it has clearly kept going without us.
    const since = state.heldElsewhereSince ?? now;
    const held = { ...state, heldElsewhereSince: since };
    return now - since > 2 * settings.leaseMs
      ? step(held, { kind: "quit", outcome: "replaced" })
      : step(held, waitTick(settings));
  }
  const record = lease.record;
  const held: MachineState = { ...state, record, heldElsewhereSince: undefined };
  const cancelled: Action | undefined =
    record.cancelledBy !== undefined
      ? { kind: "end", end: { kind: "cancelled", by: record.cancelledBy } }
      : undefined;
  // A group keeps only a few QRs fresh: past that the session waits its turn in the chat,
  // polling nothing and with its clock stopped.
  if (lease.placeInChat > 0)
    return step(held, cancelled ?? { kind: "show-line-card", place: lease.placeInChat });
  // First poll of a session that may have waited in line: its timer starts now.
  if (record.runningSince === undefined) return step(held, { kind: "start-running" });
  if (cancelled) return step(held, cancelled);
  if (now >= record.deadline) return step(held, { kind: "end", end: { kind: "expired" } });
  return step(held, { kind: "poll" });
}

function onPollFailure(state: MachineState, failure: PollFailure, settings: MachineSettings): Step {
  if (failure !== "timeout" && failure !== "other")
    return step(state, { kind: "end", end: { kind: failure } });
  const failuresInARow = state.failuresInARow + 1;
  // A timed-out request has already waited GREEN_API_TIMEOUT_MS: backing off on top would leave
  // a QR (alive ~20 s) unseen after two or three hung requests.
  const ms = failure === "timeout" ? settings.pollIntervalMs : backoffMs(failuresInARow, settings);
  const wait: Action = { kind: "wait", ms, on: "source" };
  const logged = log({ kind: "poll-failed", failuresInARow });
  // Once per streak; the session keeps polling until its deadline, Cancel still works.
  if (failuresInARow === UNANSWERED_AFTER && state.record?.runningSince !== undefined)
    return step(
      { ...state, failuresInARow, unansweredShown: true },
      logged,
      { kind: "show-unanswered" },
      wait,
    );
  return step({ ...state, failuresInARow }, logged, wait);
}

function onAnswer(
  state: MachineState,
  answer: PollAnswer,
  now: number,
  settings: MachineSettings,
): Step {
  const record = state.record;
  if (!record) return step(state, waitTick(settings));
  // Right after a logout GREEN-API still answers as if logged in for a while: not an end yet.
  const inGrace = (record.graceUntil ?? 0) > now;
  switch (answer.kind) {
    case "qr": {
      const isNew =
        answer.hash !== record.renderedHash ||
        record.messageId !== record.renderedMessageId ||
        record.chatId !== record.renderedChatId ||
        state.unansweredShown === true;
      if (isNew && now >= state.blockedUntil)
        return step(state, { kind: "edit-qr", hash: answer.hash });
      return afterAnswer(state, now, settings);
    }
    case "already-logged":
      if (inGrace) return afterAnswer(state, now, settings);
      return step(state, {
        kind: "end",
        end:
          record.qrShownAt !== undefined ? { kind: "authorized" } : { kind: "already-authorized" },
      });
    case "needs-logout":
      if (inGrace) return afterAnswer(state, now, settings);
      return step(state, { kind: "end", end: { kind: "needs-logout" } });
    case "other-error":
      return afterAnswer(state, now, settings, log({ kind: "qr-error-answer" }));
    case "nothing-yet":
      return afterAnswer(state, now, settings);
  }
}

function onEdited(
  state: MachineState,
  edited: Extract<Observation, { kind: "edited" }>,
  now: number,
  settings: MachineSettings,
): Step {
  const { outcome } = edited;
  switch (outcome.kind) {
    case "done":
      return afterAnswer({ ...state, unansweredShown: false }, now, settings, {
        kind: "remember-shown",
        hash: edited.hash,
      });
    case "rate-limited":
      // Skip edits until then; the next poll after it sends whatever QR is newest by then.
      return afterAnswer(
        { ...state, blockedUntil: now + outcome.retryAfterMs },
        now,
        settings,
        log({ kind: "rate-limited", retryAfterMs: outcome.retryAfterMs }),
      );
    case "gone":
      return step(state, log({ kind: "message-gone" }), { kind: "quit", outcome: "message-gone" });
    case "failed":
      return afterAnswer(
        state,
        now,
        settings,
        log({ kind: "edit-failed", reason: outcome.description }),
      );
    case "no-budget":
      return afterAnswer(state, now, settings);
    case "bug":
      return step(state, log({ kind: "edit-refused", reason: outcome.description }), {
        kind: "end",
        end: { kind: "failed" },
      });
  }
}

/**
 * The end of a tick: a state check when one is due (a safety net beside `alreadyLogged`, once a
 * QR was on screen and unless the source reports the login itself), else the wait.
 */
function afterAnswer(
  state: MachineState,
  now: number,
  settings: MachineSettings,
  ...before: Action[]
): Step {
  // As of this tick's heartbeat: a QR shown by this very tick counts from the next one.
  const shown = state.record?.qrShownAt !== undefined;
  const due = now - state.lastStateCheck >= settings.stateCheckEveryMs;
  // Not in the window around a rotation: the check (up to 2 s for its turn) would delay the poll.
  const inWindow = planPoll(state.rhythm, now, rhythmOf(settings)).window;
  if (shown && due && !state.sourceReportsLogin && !inWindow)
    return step({ ...state, lastStateCheck: now }, ...before, { kind: "check-state" });
  return step(state, ...before, {
    kind: "wait",
    ms: untilNextPoll(state, now, settings),
    on: "source",
  });
}

/**
 * Until the next poll is due, on the clock (poll-rhythm.ts): the time a tick took (heartbeat,
 * poll, edit) comes out of the wait instead of being added to it. Before any poll: a tick.
 */
function untilNextPoll(state: MachineState, now: number, settings: MachineSettings): number {
  if (state.rhythm.lastPollAt === undefined) return settings.pollIntervalMs;
  return Math.max(0, planPoll(state.rhythm, now, rhythmOf(settings)).at - now);
}

const rhythmOf = (settings: MachineSettings) => ({
  steadyMs: settings.pollIntervalMs,
  fastMs: settings.fastPollMs,
  phaseLocked: settings.phaseLocked,
});
const noQr = { kind: "no-qr" as const };

function backoffMs(failuresInARow: number, settings: MachineSettings): number {
  const exponential = settings.pollIntervalMs * 2 ** Math.min(failuresInARow - 1, 10);
  return Math.min(settings.maxBackoffMs, exponential);
}

const waitTick = (settings: MachineSettings): Action => ({
  kind: "wait",
  ms: settings.pollIntervalMs,
  on: "clock",
});
const log = (event: LogEvent): Action => ({ kind: "log", event });
const step = (state: MachineState, ...actions: Action[]): Step => ({ state, actions });
