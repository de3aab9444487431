import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import type { Instance, InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { endStateOf, GreenApiError } from "../green-api/errors.js";
import { isNeedsLogout, type QrAnswer } from "../green-api/schemas.js";
import type { Closure } from "../shared/closure.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";
import { localeOf } from "../shared/locale.js";
import type { ChatLine, QrCounters, QrScreen, ScreenOutcome } from "./ports.js";
import type { SecretRights } from "../access/secret-place.js";

import { LeaseGuard } from "./lease-guard.js";
import { PollSource, type QrSource, type QrSourceFactory } from "./qr-source.js";
import type { SessionEnd, SessionOutcome } from "./session-end.js";
import {
  initialState,
  type LogEvent,
  type MachineSettings,
  next,
  type Observation,
  type PollAnswer,
  type PollFailure,
} from "./session-machine.js";
import { messageKey, type SessionRecord } from "./session-record.js";
import type { SessionStore } from "./session-store.js";

/** The machine's settings (session-machine.ts): poll interval, lease, state checks, backoff. */
export type SessionRunnerOptions = MachineSettings;

export interface SessionRunnerDeps {
  store: SessionStore;
  greenApi: GreenApiClient;
  screen: QrScreen;
  instances: InstanceRegistry;
  logger: Logger;
  /** Where QR codes come from (polling by default). */
  sources?: QrSourceFactory;
  /** How many sessions may show live QRs in one group chat; none: no per-chat limit. */
  chatSlots?: ChatLine;
  counters?: QrCounters;
  now?: () => number;
  /** The instance got linked: remember who and the number, read the backlog (pairing/closures.ts). */
  onLinked?: (instance: Instance, userId: number, phone?: string) => Promise<Closure | undefined>;
  /** Asked when a session starts or resumes: its starter's right and its chat's place. */
  rights?: SecretRights;
}

/**
 * How long the final status may take to get on screen despite 429s: a QR left on screen after the
 * session ended is the worst outcome, so it waits out retry_after in full, within this bound.
 */
const FINAL_EDIT_DEADLINE_MS = 5 * 60_000;
const FINAL_EDIT_MAX_ATTEMPTS = 12;
/** The longest a session's state check waits for its turn under GREEN-API's 1/s per instance. */
const STATE_CHECK_MAX_WAIT_MS = 2_000;
/** A "waiting its turn in this chat" notice that did not get through is tried again this often. */
const LINE_CARD_RETRY_MS = 10_000;

export const hashQr = (base64: string) => createHash("sha1").update(base64).digest("base64url");

/**
 * Runs one QR session: polls GREEN-API's `qr`, keeps the session's one photo message showing the
 * current QR, and ends it with a status card. All it needs to resume lives in the session record,
 * so a session picked up again after a crash continues on the same message.
 */
export class SessionRunner {
  private readonly now: () => number;

  constructor(
    private readonly deps: SessionRunnerDeps,
    private readonly options: SessionRunnerOptions,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Returns when the session has ended, or `suspended` when `shutdown` aborted or the lease was
   * lost: the session then stays in Redis, for this or another worker to resume.
   */
  async run(
    instanceName: string,
    sessionId: string,
    pollerId: string,
    shutdown: AbortSignal,
  ): Promise<SessionOutcome> {
    const { store, greenApi, logger: parentLogger } = this.deps;
    const logger = parentLogger.child({ instance: instanceName, sessionId });
    const instance = this.deps.instances.find(instanceName);
    if (!instance) {
      // The instances file changed under a running session: nothing to poll any more.
      logger.warn("instance no longer configured; ending its QR session");
      await store.finish(instanceName, sessionId);
      return { kind: "replaced" };
    }

    await this.cancelIfRevoked(instanceName, sessionId, logger);

    // Opened on the first poll this worker owns: a socket is GREEN-API's only one for the instance.
    let source: QrSource | undefined;
    const sourceNow = () => {
      source ??= this.deps.sources?.open(instance, logger) ?? new PollSource(greenApi, instance);
      return source;
    };
    // A place outlives a takeover (derived.ts, chatHoldMs): the successor finds it held.
    const place = new ChatPlace(this.deps.chatSlots, sessionId, 3 * this.options.leaseMs);
    const lease = new LeaseGuard(
      store,
      instanceName,
      sessionId,
      pollerId,
      this.options.leaseMs,
      this.now,
    );
    try {
      const outcome = await this.loop(
        instance,
        sessionId,
        lease,
        sourceNow,
        place,
        shutdown,
        logger,
      );
      // A suspended session keeps its place for whoever resumes it; any other end frees it.
      if (outcome.kind !== "suspended") await place.release().catch(() => undefined);
      return outcome;
    } finally {
      lease.stop();
      source?.close();
    }
  }

  /**
   * The thin loop around session-machine.ts: it observes (heartbeat, poll, edit, state check),
   * asks `next` what to do, and does it. Shutdown suspends the session wherever it is.
   */
  private async loop(
    instance: Instance,
    sessionId: string,
    lease: LeaseGuard,
    sourceNow: () => QrSource,
    place: ChatPlace,
    shutdown: AbortSignal,
    logger: Logger,
  ): Promise<SessionOutcome> {
    const { store } = this.deps;
    const instanceName = instance.name;
    // Every wait and request of the session ends at shutdown, or as soon as the lease is lost.
    const stop = AbortSignal.any([shutdown, lease.signal]);
    // Requests given it (fetch) drop their listener only when collected: many are expected.
    setMaxListeners(0, stop);
    let state = initialState(this.now());
    let observation: Observation | undefined;
    // The QR last seen and its hash: an unchanged QR (most ticks) costs a string compare, no sha1.
    let seen: { message: string; hash: string } | undefined;
    let pollError: unknown;
    const lineCard = { message: "", triedAt: 0 };

    while (!shutdown.aborted) {
      const lost = lease.lostStatus;
      if (lost) observation = { kind: "lease", status: lost };
      observation ??= await this.observeLease(instanceName, sessionId, lease, place);
      const step = next(state, observation, this.now(), this.options);
      state = step.state;
      observation = undefined;
      const record = state.record;
      for (const action of step.actions) {
        switch (action.kind) {
          case "quit":
            if (action.outcome === "message-gone") await store.finish(instanceName, sessionId);
            if (action.outcome === "lease-lost") {
              logger.warn("QR session lease lost; stopping here, the queue hands the session on");
              return { kind: "suspended" };
            }
            return { kind: action.outcome };
          case "end": {
            if (!record) return { kind: "replaced" };
            const end: SessionEnd =
              action.end.kind === "authorized"
                ? await this.linkedEnd(instance, record.startedBy)
                : action.end;
            return this.end(record, end, logger);
          }
          case "log":
            logEvent(logger, action.event, pollError);
            break;
          case "show-line-card": {
            if (!record) break;
            const shown = await this.waitInChatLine(record, action.place, lineCard);
            observation = { kind: "line-card", gone: shown === "gone" };
            break;
          }
          case "start-running":
            await store.startRunning(instanceName, sessionId, this.now());
            break;
          case "poll": {
            // Fencing: never ask GREEN-API for a QR without the lease (a frozen poller woke).
            const fence = await lease.check();
            if (fence !== "held") {
              observation = { kind: "lease", status: fence };
              break;
            }
            const source = sourceNow();
            state = { ...state, sourceReportsLogin: source.reportsLogin };
            const sentAt = this.now();
            try {
              const answer = await source.current(stop);
              if (answer?.type === "qrCode" && seen?.message !== answer.message) {
                seen = { message: answer.message, hash: hashQr(answer.message) };
              }
              observation = { kind: "polled", answer: pollAnswer(answer, seen?.hash), sentAt };
            } catch (error) {
              if (stop.aborted) break;
              pollError = error;
              observation = { kind: "poll-failed", failure: pollFailure(error) };
            }
            break;
          }
          case "edit-qr": {
            if (!record || !seen) break;
            // Fencing: the poll may have hung past the lease; a QR it brought may be stale.
            const fence = await lease.check();
            if (fence !== "held") {
              observation = { kind: "lease", status: fence };
              break;
            }
            const started = performance.now();
            const shown = await this.deps.screen.showQr(
              { chatId: record.chatId, messageId: record.messageId },
              instanceName,
              Buffer.from(seen.message, "base64"),
              record.deadline - this.now(),
              localeOf(record.locale),
              stop,
            );
            if (shown.kind === "done")
              this.deps.counters?.qrShown((performance.now() - started) / 1000);
            // An edit stopped by shutdown (or a lost lease): whoever resumes the session sends it.
            if (shown.kind === "failed" && stop.aborted) break;
            const outcome = shown.kind === "no-turn" ? { kind: "no-budget" as const } : shown;
            observation = { kind: "edited", hash: action.hash, outcome };
            break;
          }
          case "remember-shown":
            if (!record) break;
            await store.update(instanceName, sessionId, {
              renderedHash: action.hash,
              renderedMessageId: record.messageId,
              qrShownAt: record.qrShownAt ?? this.now(),
            });
            break;
          case "check-state": {
            // A safety net: when others hold the instance's turns (1/s), skip it rather than
            // hold up the QR.
            const current = await this.deps.greenApi
              .getStateInstance(instance, { signal: stop, maxWaitMs: STATE_CHECK_MAX_WAIT_MS })
              .catch(() => undefined);
            observation = { kind: "state", authorized: current === "authorized" };
            break;
          }
          case "wait":
            if (action.on === "clock") await sleep(action.ms, stop);
            else await sourceNow().wait(action.ms, stop);
            break;
        }
        // A lost lease is the machine's to decide on (next turn); shutdown suspends here.
        if (stop.aborted) break;
      }
    }
    lease.stop();
    await store.releaseLease(instanceName, lease.pollerId);
    return { kind: "suspended" };
  }

  /**
   * A session whose starter lost the right (taken off the team) or whose chat lost its place (out
   * of SECRET_CHAT_IDS) since it was asked for is cancelled: the machine then ends it like a
   * Cancel press, with the ordinary card, once it holds the lease.
   */
  private async cancelIfRevoked(instance: string, sessionId: string, logger: Logger) {
    const rights = this.deps.rights;
    if (!rights) return;
    const record = await this.deps.store.get(instance);
    if (record?.sessionId !== sessionId || record.cancelledBy !== undefined) return;
    if (rights.mayContinue(record, instance)) return;
    logger.info(
      { startedBy: record.startedBy, chatId: record.chatId },
      "QR session ends: its starter or its chat no longer may see this instance's QR",
    );
    await this.deps.store.requestCancel(instance, sessionId, record.startedBy);
    await rights.revoked(record, instance, "qr");
  }

  /** The heartbeat (takes or renews the lease) and, when held, the session's place in its chat's line. */
  private async observeLease(
    instanceName: string,
    sessionId: string,
    lease: LeaseGuard,
    place: ChatPlace,
  ): Promise<Observation> {
    const sentAt = this.now();
    const beat = await this.deps.store.heartbeat(
      instanceName,
      sessionId,
      lease.pollerId,
      sentAt,
      lease.everHeld,
    );
    if (beat.status === "lost" || beat.status === "gone") {
      if (lease.everHeld) lease.markLost(beat.status);
      return { kind: "lease", status: beat.status };
    }
    if (beat.status !== "active") return { kind: "lease", status: beat.status };
    lease.held(sentAt);
    const placeInChat = await place.hold(beat.record, this.now());
    return { kind: "lease", status: "held", record: beat.record, placeInChat };
  }

  /**
   * A session waiting in its chat's line: the message says so once (a failed try is repeated
   * every LINE_CARD_RETRY_MS at most: the chat's budget is what is short), and the record is kept
   * alive (it has no deadline yet: the clock starts with the first QR).
   */
  private async waitInChatLine(
    record: SessionRecord,
    placeInChat: number,
    card: { message: string; triedAt: number },
  ): Promise<ScreenOutcome["kind"] | "shown before"> {
    const { store, screen, chatSlots } = this.deps;
    const lifetimeMs = record.lifetimeMs ?? record.deadline - record.startedAt;
    if ((record.queuedUntil ?? 0) < this.now() + lifetimeMs / 2) {
      await store.markQueued(record.instance, record.sessionId, this.now() + lifetimeMs);
    }
    const capacity = chatSlots?.capacityOf(record.chatId);
    const message = messageKey(record);
    const due = card.message !== message || this.now() - card.triedAt >= LINE_CARD_RETRY_MS;
    if (record.chatQueuedOn === message || capacity === undefined || !due) return "shown before";
    Object.assign(card, { message, triedAt: this.now() });
    const target = { chatId: record.chatId, messageId: record.messageId };
    const line = { scope: "chat" as const, place: placeInChat, capacity };
    const shown = await screen.showQueued(target, record.instance, line, localeOf(record.locale));
    if (shown.kind === "done") {
      await store.update(record.instance, record.sessionId, { chatQueuedOn: message });
    }
    return shown.kind;
  }

  private async linkedEnd(instance: Instance, userId: number): Promise<SessionEnd> {
    const phone = await this.phoneOf(instance.name);
    const closure = await this.deps.onLinked?.(instance, userId, phone).catch(() => undefined);
    return { kind: "authorized", phone, ...(closure ? { closure } : {}) };
  }

  private async phoneOf(instanceName: string): Promise<string | undefined> {
    const instance = this.deps.instances.find(instanceName);
    if (!instance) return undefined;
    try {
      const settings = await this.deps.greenApi.getWaSettings(instance, { timeoutMs: 5_000 });
      return settings.phone || undefined;
    } catch {
      return undefined; // the phone number is a courtesy; the login itself succeeded
    }
  }

  /** Puts the final status on screen (waiting out 429s a few times), then forgets the session. */
  private async end(
    record: SessionRecord,
    end: SessionEnd,
    logger: Logger,
  ): Promise<SessionOutcome> {
    const target = { chatId: record.chatId, messageId: record.messageId };
    let shown: ScreenOutcome = { kind: "failed", description: "not tried" };
    const deadline = Date.now() + FINAL_EDIT_DEADLINE_MS;
    for (let attempt = 1; attempt <= FINAL_EDIT_MAX_ATTEMPTS; attempt++) {
      shown = await this.deps.screen.showEnd(target, record.instance, end, localeOf(record.locale));
      if (shown.kind === "done" || shown.kind === "gone" || shown.kind === "bug") break;
      const waitMs =
        shown.kind === "rate-limited" ? shown.retryAfterMs : Math.min(1000 * attempt, 10_000);
      if (Date.now() + waitMs > deadline) break;
      await sleep(waitMs);
    }
    await this.deps.store.finish(record.instance, record.sessionId);
    logger.info(
      { end: end.kind, shown: shown.kind, action: "qr", result: end.kind },
      "QR session ended",
    );
    return end;
  }
}

/** The session's place among its chat's live QRs (a ChatLine: telegram/pacing/chat-slots.ts), following it when it moves. */
class ChatPlace {
  private chatId: number | undefined;
  /** When the live place was last renewed; a waiting session asks again every tick. */
  private liveSince: number | undefined;

  constructor(
    private readonly slots: ChatLine | undefined,
    private readonly sessionId: string,
    private readonly ttlMs: number,
  ) {}

  /** 0 when the session may show QRs in its chat now, else its place in the chat's line. */
  async hold(record: SessionRecord, now = Date.now()): Promise<number> {
    if (!this.slots) return 0;
    if (this.chatId !== undefined && this.chatId !== record.chatId) await this.release();
    // A live place lasts ttlMs: renewing it a few times per ttl, not on every poll, is enough.
    if (this.liveSince !== undefined && now - this.liveSince < this.ttlMs / 4) return 0;
    this.chatId = record.chatId;
    // A session already showing QRs keeps going where it was moved to, full chat or not.
    const force = record.runningSince !== undefined;
    const place = await this.slots.hold(record.chatId, this.sessionId, this.ttlMs, { force, now });
    this.liveSince = place === 0 ? now : undefined;
    return place;
  }

  async release(): Promise<void> {
    if (!this.slots || this.chatId === undefined) return;
    await this.slots.release(this.chatId, this.sessionId);
    this.chatId = undefined;
    this.liveSince = undefined;
  }
}

/** GREEN-API's answer to a poll, as the machine sees it. */
function pollAnswer(answer: QrAnswer | undefined, hash: string | undefined): PollAnswer {
  if (answer?.type === "qrCode" && hash) return { kind: "qr", hash };
  if (answer?.type === "alreadyLogged") return { kind: "already-logged" };
  if (answer && isNeedsLogout(answer)) return { kind: "needs-logout" };
  if (answer?.type === "error") return { kind: "other-error" };
  return { kind: "nothing-yet" };
}

function pollFailure(error: unknown): PollFailure {
  const end = endStateOf(error);
  if (end) return end;
  return error instanceof GreenApiError && error.failure === "timeout" ? "timeout" : "other";
}

function logEvent(logger: Logger, event: LogEvent, pollError: unknown): void {
  switch (event.kind) {
    case "poll-failed":
      logger.warn(
        { err: pollError, failuresInARow: event.failuresInARow },
        "GREEN-API qr failed; retrying",
      );
      return;
    case "rate-limited":
      logger.info({ retryAfterMs: event.retryAfterMs }, "Telegram rate limit; holding edits");
      return;
    case "edit-refused":
      logger.error({ reason: event.reason }, "Telegram refused the QR edit");
      return;
    case "edit-failed":
      logger.warn({ reason: event.reason }, "Telegram edit failed; retrying on the next poll");
      return;
    case "qr-error-answer":
      logger.info("GREEN-API answered qr with an error; polling on");
      return;
    case "message-gone":
      logger.info("QR message is gone; ending the session");
      return;
  }
}
