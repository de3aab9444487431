import { describe, expect, it } from "vitest";
import {
  type Action,
  initialState,
  type MachineSettings,
  type MachineState,
  next,
  type Observation,
} from "../../../src/qr-session/session-machine.js";
import type { SessionRecord } from "../../../src/qr-session/session-record.js";

const SETTINGS: MachineSettings = {
  pollIntervalMs: 1_000,
  phaseLocked: true,
  fastPollMs: 400,
  leaseMs: 6_000,
  stateCheckEveryMs: 10_000,
  maxBackoffMs: 10_000,
};
const NOW = 1_000_000;

const record = (patch: Partial<SessionRecord> = {}): SessionRecord => ({
  sessionId: "s1",
  instance: "shop",
  startedBy: 1,
  startedAt: NOW - 60_000,
  deadline: NOW + 540_000,
  chatId: 1,
  messageId: 10,
  runningSince: NOW - 60_000,
  ...patch,
});
const held = (patch: Partial<SessionRecord> = {}, placeInChat = 0): Observation => ({
  kind: "lease",
  status: "held",
  record: record(patch),
  placeInChat,
});
const withRecord = (patch: Partial<SessionRecord> = {}, state: Partial<MachineState> = {}) => ({
  ...initialState(NOW),
  record: record(patch),
  ...state,
});
const kinds = (actions: Action[]) =>
  actions.map((a) =>
    a.kind === "end"
      ? `end:${a.end.kind}`
      : a.kind === "quit"
        ? `quit:${a.outcome}`
        : a.kind === "wait"
          ? `wait:${a.ms}:${a.on}`
          : a.kind === "log"
            ? `log:${a.event.kind}`
            : a.kind === "edit-qr"
              ? `edit-qr:${a.hash}`
              : a.kind,
  );

describe("the QR session machine: what follows each observation", () => {
  it.each<[string, MachineState, Observation, string[]]>([
    // The lease
    [
      "the record vanished",
      initialState(NOW),
      { kind: "lease", status: "gone" },
      ["quit:replaced"],
    ],
    [
      "another poller holds the lease: wait a tick",
      initialState(NOW),
      { kind: "lease", status: "held-elsewhere" },
      ["wait:1000:clock"],
    ],
    [
      "another poller still holding within twice the lease: wait a tick more",
      { ...initialState(NOW), heldElsewhereSince: NOW - 12_000 },
      { kind: "lease", status: "held-elsewhere" },
      ["wait:1000:clock"],
    ],
    [
      "another poller kept going for twice the lease: give up",
      { ...initialState(NOW), heldElsewhereSince: NOW - 12_001 },
      { kind: "lease", status: "held-elsewhere" },
      ["quit:replaced"],
    ],
    [
      "this poller's lease lapsed or passed to another (a frozen worker woke): stop, hand the job on",
      withRecord(),
      { kind: "lease", status: "lost" },
      ["quit:lease-lost"],
    ],
    [
      "a lost lease wins over a pending cancel: the successor shows the cancel",
      withRecord({ cancelledBy: 7 }),
      { kind: "lease", status: "lost" },
      ["quit:lease-lost"],
    ],
    [
      "lost while waiting for another poller to let go: stop",
      { ...initialState(NOW), heldElsewhereSince: NOW - 1_000 },
      { kind: "lease", status: "lost" },
      ["quit:lease-lost"],
    ],
    [
      "held again after another poller let go: poll at once",
      { ...initialState(NOW), heldElsewhereSince: NOW - 5_000 },
      held(),
      ["poll"],
    ],
    ["held, running, in time: poll", initialState(NOW), held(), ["poll"]],
    [
      "held, past the deadline: expired",
      initialState(NOW),
      held({ deadline: NOW }),
      ["end:expired"],
    ],
    [
      "held and cancelled: cancelled",
      initialState(NOW),
      held({ cancelledBy: 7 }),
      ["end:cancelled"],
    ],
    [
      "first tick after waiting in line: start the clock",
      initialState(NOW),
      held({ runningSince: undefined }),
      ["start-running"],
    ],
    // The chat's line
    ["waiting in the chat's line: say so", initialState(NOW), held({}, 2), ["show-line-card"]],
    [
      "cancelled while in line: cancelled",
      initialState(NOW),
      held({ cancelledBy: 7 }, 2),
      ["end:cancelled"],
    ],
    [
      "line card shown: wait a tick",
      withRecord(),
      { kind: "line-card", gone: false },
      ["wait:1000:clock"],
    ],
    [
      "message gone while in line: end quietly",
      withRecord(),
      { kind: "line-card", gone: true },
      ["log:message-gone", "quit:message-gone"],
    ],
    // GREEN-API's answer
    [
      "a new QR: edit",
      withRecord(),
      { kind: "polled", answer: { kind: "qr", hash: "h2" } },
      ["edit-qr:h2"],
    ],
    [
      "the QR on screen already: wait",
      withRecord({ renderedHash: "h1", renderedMessageId: 10, renderedChatId: 1 }),
      { kind: "polled", answer: { kind: "qr", hash: "h1" } },
      ["wait:1000:source"],
    ],
    [
      "the same QR, but the session moved to another message: edit",
      withRecord({ renderedHash: "h1", renderedMessageId: 9 }),
      { kind: "polled", answer: { kind: "qr", hash: "h1" } },
      ["edit-qr:h1"],
    ],
    [
      "the same QR, moved to another chat's message of the same id (ids count per chat): edit",
      withRecord({ renderedHash: "h1", renderedMessageId: 10, renderedChatId: 2 }),
      { kind: "polled", answer: { kind: "qr", hash: "h1" } },
      ["edit-qr:h1"],
    ],
    [
      "a new QR while Telegram holds edits: wait",
      withRecord({}, { blockedUntil: NOW + 5_000 }),
      { kind: "polled", answer: { kind: "qr", hash: "h2" } },
      ["wait:1000:source"],
    ],
    [
      "already logged, no QR ever shown: already authorized",
      withRecord(),
      { kind: "polled", answer: { kind: "already-logged" } },
      ["end:already-authorized"],
    ],
    [
      "already logged after a QR was shown: authorized (scanned)",
      withRecord({ qrShownAt: NOW - 5_000 }),
      { kind: "polled", answer: { kind: "already-logged" } },
      ["end:authorized"],
    ],
    [
      "already logged right after a log out (grace): keep polling",
      withRecord({ graceUntil: NOW + 1 }),
      { kind: "polled", answer: { kind: "already-logged" } },
      ["wait:1000:source"],
    ],
    [
      "'Instance has auth': needs a log out",
      withRecord(),
      { kind: "polled", answer: { kind: "needs-logout" } },
      ["end:needs-logout"],
    ],
    [
      "another error text: log and poll on",
      withRecord(),
      { kind: "polled", answer: { kind: "other-error" } },
      ["log:qr-error-answer", "wait:1000:source"],
    ],
    [
      "nothing yet, a QR was shown and a state check is due: check",
      withRecord({ qrShownAt: NOW - 20_000 }, { lastStateCheck: NOW - 10_000 }),
      { kind: "polled", answer: { kind: "nothing-yet" } },
      ["check-state"],
    ],
    [
      "a state check is due but the source reports the login itself: wait",
      withRecord(
        { qrShownAt: NOW - 20_000 },
        { lastStateCheck: NOW - 10_000, sourceReportsLogin: true },
      ),
      { kind: "polled", answer: { kind: "nothing-yet" } },
      ["wait:1000:source"],
    ],
    // Failures
    [
      "wrong credentials (401): the end",
      withRecord(),
      { kind: "poll-failed", failure: "credentials-rejected" },
      ["end:credentials-rejected"],
    ],
    [
      "account blocked or wrong instance (403): its own end",
      withRecord(),
      { kind: "poll-failed", failure: "forbidden" },
      ["end:forbidden"],
    ],
    [
      "quota used up (466): its own end",
      withRecord(),
      { kind: "poll-failed", failure: "quota-exceeded" },
      ["end:quota-exceeded"],
    ],
    [
      "first failure: back off one interval",
      withRecord(),
      { kind: "poll-failed", failure: "other" },
      ["log:poll-failed", "wait:1000:source"],
    ],
    [
      "third failure in a row: the message says GREEN-API is not answering, and polling goes on",
      withRecord({}, { failuresInARow: 2 }),
      { kind: "poll-failed", failure: "timeout" },
      ["log:poll-failed", "show-unanswered", "wait:1000:source"],
    ],
    [
      "third failure while still waiting in line (not running yet): nothing to say yet",
      withRecord({ runningSince: undefined }, { failuresInARow: 2 }),
      { kind: "poll-failed", failure: "other" },
      ["log:poll-failed", "wait:4000:source"],
    ],
    [
      "GREEN-API answers again with the QR that was on screen: it goes back over the notice",
      withRecord(
        { renderedHash: "h1", renderedMessageId: 10, renderedChatId: 1 },
        { unansweredShown: true },
      ),
      { kind: "polled", answer: { kind: "qr", hash: "h1" } },
      ["edit-qr:h1"],
    ],
    [
      "fourth failure in a row: back off 8 intervals",
      withRecord({}, { failuresInARow: 3 }),
      { kind: "poll-failed", failure: "other" },
      ["log:poll-failed", "wait:8000:source"],
    ],
    [
      "many failures: the backoff is capped",
      withRecord({}, { failuresInARow: 30 }),
      { kind: "poll-failed", failure: "other" },
      ["log:poll-failed", "wait:10000:source"],
    ],
    [
      "a timed-out request waited already: no backoff on top",
      withRecord({}, { failuresInARow: 5 }),
      { kind: "poll-failed", failure: "timeout" },
      ["log:poll-failed", "wait:1000:source"],
    ],
    // Telegram's answer to the edit
    [
      "edit done: remember it, then wait",
      withRecord(),
      { kind: "edited", hash: "h2", outcome: { kind: "done" } },
      ["remember-shown", "wait:1000:source"],
    ],
    [
      "edit rate-limited: hold edits, log, wait",
      withRecord(),
      { kind: "edited", hash: "h2", outcome: { kind: "rate-limited", retryAfterMs: 7_000 } },
      ["log:rate-limited", "wait:1000:source"],
    ],
    [
      "message gone: end quietly",
      withRecord(),
      { kind: "edited", hash: "h2", outcome: { kind: "gone" } },
      ["log:message-gone", "quit:message-gone"],
    ],
    [
      "edit failed: retry next poll",
      withRecord(),
      { kind: "edited", hash: "h2", outcome: { kind: "failed" } },
      ["log:edit-failed", "wait:1000:source"],
    ],
    [
      "Telegram refused the edit itself: end as failed, do not repeat it every poll",
      withRecord(),
      { kind: "edited", hash: "h2", outcome: { kind: "bug" } },
      ["log:edit-refused", "end:failed"],
    ],
    [
      "no edit budget this tick: the newest QR goes next time",
      withRecord(),
      { kind: "edited", hash: "h2", outcome: { kind: "no-budget" } },
      ["wait:1000:source"],
    ],
    // The state check
    [
      "state authorized: authorized",
      withRecord(),
      { kind: "state", authorized: true },
      ["end:authorized"],
    ],
    [
      "state anything else: wait",
      withRecord(),
      { kind: "state", authorized: false },
      ["wait:1000:source"],
    ],
  ])("%s", (_name, state, observation, expected) => {
    expect(kinds(next(state, observation, NOW, SETTINGS).actions)).toEqual(expected);
  });

  it("remembers what the next steps need: failures, held edits, the last state check", () => {
    const failed = next(withRecord(), { kind: "poll-failed", failure: "other" }, NOW, SETTINGS);
    expect(failed.state.failuresInARow).toBe(1);
    const answered = next(
      failed.state,
      { kind: "polled", answer: { kind: "nothing-yet" } },
      NOW,
      SETTINGS,
    );
    expect(answered.state.failuresInARow).toBe(0);
    const limited = next(
      withRecord(),
      { kind: "edited", hash: "h", outcome: { kind: "rate-limited", retryAfterMs: 7_000 } },
      NOW,
      SETTINGS,
    );
    expect(limited.state.blockedUntil).toBe(NOW + 7_000);
    const checked = next(
      withRecord({ qrShownAt: NOW - 20_000 }, { lastStateCheck: NOW - 10_000 }),
      { kind: "polled", answer: { kind: "nothing-yet" } },
      NOW,
      SETTINGS,
    );
    expect(checked.state.lastStateCheck).toBe(NOW);
    const elsewhere = next(
      initialState(NOW),
      { kind: "lease", status: "held-elsewhere" },
      NOW,
      SETTINGS,
    );
    expect(elsewhere.state.heldElsewhereSince).toBe(NOW);
    const back = next(elsewhere.state, held(), NOW + 1_000, SETTINGS);
    expect(back.state.heldElsewhereSince).toBeUndefined();
  });
});
