import { randomBytes } from "node:crypto";
import type { Queue } from "bullmq";
import type { Logger } from "../shared/logger.js";
import { withTimeout } from "../shared/with-timeout.js";
import { type Locale, textsFor } from "../telegram/i18n/index.js";
import type { MessageRef, SessionScreen } from "../telegram/session-screen.js";
import { enqueueQrSession, placeInLine, type QrJob, withdrawQrSession } from "./qr-queue.js";
import type { SessionStore } from "./session-store.js";

export interface StartRequest {
  instance: string;
  userId: number;
  locale: Locale;
  /** Skip `alreadyLogged` / "needs log out" answers this long: GREEN-API lags behind a logout. */
  graceMs?: number;
}

/** Queueing a session normally takes milliseconds; past this Redis is in trouble: say so. */
const ENQUEUE_TIMEOUT_MS = 5_000;

export type StartResult =
  | { started: "new" }
  /** All slots are busy: it waits its turn, `place` in line, and its message says so. */
  | { started: "queued"; place: number }
  | { started: "moved"; from: MessageRef };

/**
 * Starts QR sessions from the bot side: puts up the session's photo message, claims the instance
 * (one session per instance) and queues the poller. If a session already runs for the instance it
 * is moved to the new message rather than started twice, and its old message says where it went.
 */
export class SessionStarter {
  constructor(
    private readonly deps: {
      store: SessionStore;
      queue: Queue<QrJob>;
      screen: SessionScreen;
      timeoutMs: number;
      /** Live sessions across all workers (see sessionCapacity); later ones queue. */
      capacity: number;
      logger: Logger;
    },
  ) {}

  /** Sends a new photo message to the chat and runs the session there. */
  async startInNewMessage(
    request: StartRequest & { chatId: number; replyTo?: number },
  ): Promise<StartResult> {
    // With Redis down, answer "temporarily unavailable" before a waiting photo goes up.
    await this.deps.store.ping();
    const messageId = await this.deps.screen.sendWaiting(
      request.chatId,
      request.instance,
      textsFor(request.locale),
      request.replyTo,
    );
    return this.claim(request, { chatId: request.chatId, messageId });
  }

  /** Reuses a message of ours (a finished session's) for a new session. */
  async startOnMessage(request: StartRequest & { target: MessageRef }): Promise<StartResult> {
    await this.deps.screen.showWaiting(request.target, request.instance, textsFor(request.locale));
    return this.claim(request, request.target);
  }

  /**
   * Queues the poller. When every slot is busy the message says so first (before the job exists,
   * so no QR can land before the notice and be captioned over), and the claim is kept alive for as
   * long as the line can take: each place ahead frees within one session lifetime at worst.
   */
  private async queueUp(request: StartRequest, target: MessageRef, sessionId: string) {
    const { queue, store, screen, capacity, timeoutMs } = this.deps;
    const place = await placeInLine(queue, capacity);
    if (place > 0) {
      const queuedUntil = Date.now() + (Math.ceil(place / capacity) + 1) * timeoutMs;
      await store.markQueued(request.instance, sessionId, queuedUntil);
      await screen.showQueued(target, request.instance, place, capacity, textsFor(request.locale));
    }
    await enqueueQrSession(queue, { instance: request.instance, sessionId });
    return place;
  }

  /**
   * Cancels a session that is still waiting in the queue right away: true when it was taken out
   * (nobody polls it; its message is the caller's to update), false when a worker already runs it.
   */
  async withdraw(instance: string, sessionId: string): Promise<boolean> {
    if (!(await withdrawQrSession(this.deps.queue, { instance, sessionId }))) return false;
    await this.deps.store.finish(instance, sessionId);
    return true;
  }

  /** A claim Redis refused leaves the message saying so (with a New QR button), not "asking…". */
  private async claimOrShowFailure(
    request: StartRequest,
    target: MessageRef,
    ...args: Parameters<SessionStore["claim"]>
  ): ReturnType<SessionStore["claim"]> {
    try {
      return await this.deps.store.claim(...args);
    } catch (error) {
      await this.showFailed(request, target);
      throw error;
    }
  }

  private async showFailed(request: StartRequest, target: MessageRef): Promise<void> {
    await this.deps.screen
      .showEnd(target, request.instance, { kind: "failed" }, textsFor(request.locale))
      .catch(() => undefined);
  }

  private async claim(request: StartRequest, target: MessageRef): Promise<StartResult> {
    const now = Date.now();
    const sessionId = randomBytes(6).toString("base64url");
    const claim = await this.claimOrShowFailure(
      request,
      target,
      {
        sessionId,
        instance: request.instance,
        startedBy: request.userId,
        startedAt: now,
        deadline: now + this.deps.timeoutMs,
        lifetimeMs: this.deps.timeoutMs,
        chatId: target.chatId,
        messageId: target.messageId,
        locale: request.locale,
        ...(request.graceMs ? { graceUntil: now + request.graceMs } : {}),
      },
      now,
    );
    const log = this.deps.logger.child({
      instance: request.instance,
      userId: request.userId,
      chatId: target.chatId,
    });
    if (claim.claimed) {
      try {
        const place = await withTimeout(
          this.queueUp(request, target, sessionId),
          ENQUEUE_TIMEOUT_MS,
          "queueing the QR session",
        );
        log.info({ sessionId, place }, place ? "QR session queued" : "QR session started");
        return place ? { started: "queued", place } : { started: "new" };
      } catch (error) {
        // No poller will come: free the instance and leave no "asking for a QR…" behind.
        await this.deps.store.finish(request.instance, sessionId).catch(() => undefined);
        await this.showFailed(request, target);
        throw error;
      }
    }
    const from = { chatId: claim.moved.chatId, messageId: claim.moved.messageId };
    if (from.chatId !== target.chatId || from.messageId !== target.messageId) {
      await this.deps.screen.showMoved(from, request.instance, textsFor(claim.moved.locale));
    }
    if (claim.moved.runningSince === undefined && claim.moved.queuedUntil !== undefined) {
      // Still in line: the new message says so too (its place is not known here, only the wait).
      await this.deps.screen.showQueued(
        target,
        request.instance,
        0,
        this.deps.capacity,
        textsFor(request.locale),
      );
    }
    log.info({ sessionId: claim.moved.sessionId }, "QR session moved to a new message");
    return { started: "moved", from };
  }
}
