import { createHash } from "node:crypto";
import type { Instance, InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { endStateOf, GreenApiError } from "../green-api/errors.js";
import { isNeedsLogout, type QrAnswer } from "../green-api/schemas.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";
import { textsFor } from "../telegram/i18n/index.js";
import type { MessageRef, SessionScreen } from "../telegram/session-screen.js";
import type { TelegramOutcome } from "../telegram/telegram-errors.js";
import type { ChatSlots } from "./chat-slots.js";
import type { EditBudget } from "./edit-budget.js";
import { PollSource, type QrSource, type QrSourceFactory } from "./qr-source.js";
import type { SessionEnd, SessionOutcome } from "./session-end.js";
import { messageKey, type SessionRecord } from "./session-record.js";
import type { SessionStore } from "./session-store.js";

export interface SessionRunnerOptions {
  pollIntervalMs: number;
  /** How long to keep asking for a QR while another poller holds the lease before giving up. */
  leaseMs: number;
  /** Between getStateInstance checks while a QR is shown: a safety net beside `alreadyLogged`. */
  stateCheckEveryMs: number;
  /** Cap of the pause after failed GREEN-API calls in a row. */
  maxBackoffMs: number;
}

export interface SessionRunnerDeps {
  store: SessionStore;
  greenApi: GreenApiClient;
  screen: SessionScreen;
  instances: InstanceRegistry;
  logger: Logger;
  /** Where QR codes come from (polling by default). */
  sources?: QrSourceFactory;
  /** The bot-wide budget of QR edits (Telegram's ~30/s per bot); none: edit at once. */
  editBudget?: EditBudget;
  /** How many sessions may show live QRs in one group chat; none: no per-chat limit. */
  chatSlots?: ChatSlots;
  now?: () => number;
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
   * Returns when the session has ended, or `suspended` when `shutdown` aborted: the session then
   * stays in Redis, for this or another worker to resume.
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

    // Opened on the first poll this worker owns: a socket is GREEN-API's only one for the instance.
    let source: QrSource | undefined;
    const sourceNow = () => {
      source ??= this.deps.sources?.open(instance, logger) ?? new PollSource(greenApi, instance);
      return source;
    };
    const place = new ChatPlace(this.deps.chatSlots, sessionId, 2 * this.options.leaseMs);
    try {
      const outcome = await this.loop(
        instance,
        sessionId,
        pollerId,
        sourceNow,
        place,
        shutdown,
        logger,
      );
      // A suspended session keeps its place for whoever resumes it; any other end frees it.
      if (outcome.kind !== "suspended") await place.release().catch(() => undefined);
      return outcome;
    } finally {
      source?.close();
    }
  }

  private async loop(
    instance: Instance,
    sessionId: string,
    pollerId: string,
    sourceNow: () => QrSource,
    place: ChatPlace,
    shutdown: AbortSignal,
    logger: Logger,
  ): Promise<SessionOutcome> {
    const { store, greenApi } = this.deps;
    const instanceName = instance.name;
    let telegramBlockedUntil = 0;
    let failuresInARow = 0;
    let lastStateCheck = this.now();
    let heldElsewhereSince: number | undefined;
    // The QR last seen and its hash: an unchanged QR (most ticks) costs a string compare, no sha1.
    let seen: { message: string; hash: string } | undefined;
    const lineCard = { message: "", triedAt: 0 };

    while (!shutdown.aborted) {
      const beat = await store.heartbeat(instanceName, sessionId, pollerId, this.now());
      if (beat.status === "gone") return { kind: "replaced" };
      if (beat.status === "held-elsewhere") {
        // Another worker still polls this session (we were handed its job after a stall). Let it
        // finish unless its lease lapses; give up once it has clearly kept going without us.
        heldElsewhereSince ??= this.now();
        if (this.now() - heldElsewhereSince > 2 * this.options.leaseMs) return { kind: "replaced" };
        await sleep(this.options.pollIntervalMs, shutdown);
        continue;
      }
      heldElsewhereSince = undefined;
      const record = beat.record;
      // A group keeps only a few QRs fresh (Telegram: ~20 messages a minute per group): past
      // that the session waits its turn in the chat, polling nothing and with its clock stopped.
      const placeInChat = await place.hold(record, this.now());
      if (placeInChat > 0) {
        if (record.cancelledBy !== undefined) {
          return this.end(record, { kind: "cancelled", by: record.cancelledBy }, logger);
        }
        const shown = await this.waitInChatLine(record, placeInChat, lineCard);
        if (shown === "gone") {
          logger.info("QR message is gone while waiting in line; ending the session");
          await store.finish(instanceName, sessionId);
          return { kind: "message-gone" };
        }
        await sleep(this.options.pollIntervalMs, shutdown);
        continue;
      }
      if (record.runningSince === undefined) {
        // First poll of a session that may have waited in line: its timer starts now.
        await store.startRunning(instanceName, sessionId, this.now());
        continue;
      }
      const source = sourceNow();
      const target: MessageRef = { chatId: record.chatId, messageId: record.messageId };
      const inGrace = (record.graceUntil ?? 0) > this.now();

      if (record.cancelledBy !== undefined) {
        return this.end(record, { kind: "cancelled", by: record.cancelledBy }, logger);
      }
      if (this.now() >= record.deadline) return this.end(record, { kind: "expired" }, logger);

      let answer: QrAnswer | undefined;
      try {
        answer = await source.current(shutdown);
        failuresInARow = 0;
      } catch (error) {
        if (shutdown.aborted) break;
        const endState = endStateOf(error);
        if (endState) return this.end(record, { kind: endState }, logger);
        failuresInARow += 1;
        logger.warn({ err: error, failuresInARow }, "GREEN-API qr failed; retrying");
        // A timed-out request has already waited GREEN_API_TIMEOUT_MS: backing off on top would
        // leave a QR (alive ~20 s) unseen after two or three hung requests.
        const timedOut = error instanceof GreenApiError && error.failure === "timeout";
        const pauseMs = timedOut ? this.options.pollIntervalMs : this.backoffMs(failuresInARow);
        await source.wait(pauseMs, shutdown);
        continue;
      }

      if (answer?.type === "qrCode") {
        if (seen?.message !== answer.message) {
          seen = { message: answer.message, hash: hashQr(answer.message) };
        }
        const hash = seen.hash;
        const isNew = hash !== record.renderedHash || record.messageId !== record.renderedMessageId;
        if (isNew && this.now() >= telegramBlockedUntil && (await this.mayEdit(shutdown))) {
          const shown = await this.deps.screen.showQr(
            target,
            instance.name,
            Buffer.from(answer.message, "base64"),
            record.deadline - this.now(),
            textsFor(record.locale),
            shutdown,
          );
          if (shown.kind === "done") {
            await store.update(instanceName, sessionId, {
              renderedHash: hash,
              renderedMessageId: record.messageId,
              qrShownAt: record.qrShownAt ?? this.now(),
            });
          } else if (shown.kind === "rate-limited") {
            // Skip edits until then; the next poll after it sends whatever QR is newest by then.
            telegramBlockedUntil = this.now() + shown.retryAfterMs;
            logger.info({ retryAfterMs: shown.retryAfterMs }, "Telegram rate limit; holding edits");
          } else if (shutdown.aborted) {
            break; // the edit was stopped by shutdown: whoever resumes the session sends it
          } else if (shown.kind === "gone") {
            // Deleted, too old, bot blocked: no edit will ever land. Stop quietly, upload nothing more.
            logger.info({ reason: shown.description }, "QR message is gone; ending the session");
            await store.finish(instanceName, sessionId);
            return { kind: "message-gone" };
          } else if (shown.kind === "bug") {
            // Telegram refuses this very request: retrying it every poll would only repeat that.
            logger.error({ reason: shown.description }, "Telegram refused the QR edit");
            return this.end(record, { kind: "failed" }, logger);
          } else {
            logger.warn(
              { reason: shown.description },
              "Telegram edit failed; retrying on the next poll",
            );
          }
        }
      } else if (answer?.type === "alreadyLogged" && !inGrace) {
        const end: SessionEnd =
          record.qrShownAt !== undefined
            ? { kind: "authorized", phone: await this.phoneOf(instanceName) }
            : { kind: "already-authorized" };
        return this.end(record, end, logger);
      } else if (answer?.type === "error" && isNeedsLogout(answer) && !inGrace) {
        return this.end(record, { kind: "needs-logout" }, logger);
      } else if (answer?.type === "error") {
        logger.info({ message: answer.message }, "GREEN-API answered qr with an error; polling on");
      }

      if (
        record.qrShownAt !== undefined &&
        !source.reportsLogin &&
        this.now() - lastStateCheck >= this.options.stateCheckEveryMs
      ) {
        lastStateCheck = this.now();
        // A safety net: when others hold the instance's turns (1/s), skip it rather than hold up the QR.
        const state = await greenApi
          .getStateInstance(instance, { signal: shutdown, maxWaitMs: STATE_CHECK_MAX_WAIT_MS })
          .catch(() => undefined);
        if (state === "authorized") {
          return this.end(
            record,
            { kind: "authorized", phone: await this.phoneOf(instanceName) },
            logger,
          );
        }
      }

      await source.wait(this.options.pollIntervalMs, shutdown);
    }
    await store.releaseLease(instanceName, pollerId);
    return { kind: "suspended" };
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
  ): Promise<TelegramOutcome["kind"] | "shown before"> {
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
    const shown = await screen.showQueued(target, record.instance, line, textsFor(record.locale));
    if (shown.kind === "done") {
      await store.update(record.instance, record.sessionId, { chatQueuedOn: message });
    }
    return shown.kind;
  }

  /** Waits (up to one tick) for the bot's edit budget; false: try again next tick, newest QR then. */
  private async mayEdit(shutdown: AbortSignal): Promise<boolean> {
    const budget = this.deps.editBudget;
    return budget ? budget.take(this.options.pollIntervalMs, shutdown) : true;
  }

  private backoffMs(failuresInARow: number): number {
    const exponential = this.options.pollIntervalMs * 2 ** Math.min(failuresInARow - 1, 10);
    return Math.min(this.options.maxBackoffMs, exponential);
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
    let shown: TelegramOutcome = { kind: "failed", description: "not tried" };
    const deadline = Date.now() + FINAL_EDIT_DEADLINE_MS;
    for (let attempt = 1; attempt <= FINAL_EDIT_MAX_ATTEMPTS; attempt++) {
      shown = await this.deps.screen.showEnd(target, record.instance, end, textsFor(record.locale));
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

/** The session's place among its chat's live QRs (see ChatSlots), following it when it moves. */
class ChatPlace {
  private chatId: number | undefined;
  /** When the live place was last renewed; a waiting session asks again every tick. */
  private liveSince: number | undefined;

  constructor(
    private readonly slots: ChatSlots | undefined,
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
