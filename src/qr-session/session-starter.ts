import { randomBytes } from "node:crypto";
import type { Queue } from "bullmq";
import type { Logger } from "../shared/logger.js";
import { withTimeout } from "../shared/with-timeout.js";
import { type Locale, localeOf } from "../shared/locale.js";
import type { ChatLine, MessageRef, QrScreen, QueueLine } from "./ports.js";
import { enqueueQrSession, placeInLine, type QrJob, withdrawQrSession } from "./qr-queue.js";
import { messageKey } from "./session-record.js";
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
  /**
   * All slots are busy, the bot's (`bot`) or the chat's (`chat`): it waits its turn, `place` in
   * line, and its message says so.
   */
  | ({ started: "queued" } & Pick<QueueLine, "place" | "scope">)
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
      screen: QrScreen;
      timeoutMs: number;
      /** Live sessions across all workers (see sessionCapacity); later ones queue. */
      capacity: number;
      /** Live sessions per group chat; none: no per-chat limit. */
      chatSlots?: ChatLine;
      /** How long a place in a chat's line is kept for a session whose poller has not started. */
      chatHoldMs: number;
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
      request.locale,
      request.replyTo,
    );
    return this.claim(request, { chatId: request.chatId, messageId });
  }

  /** Reuses a message of ours (a finished session's) for a new session. */
  async startOnMessage(request: StartRequest & { target: MessageRef }): Promise<StartResult> {
    await this.deps.screen.showWaiting(request.target, request.instance, request.locale);
    return this.claim(request, request.target);
  }

  /**
   * Queues the poller. When a line must be waited in the message says so first (before the job
   * exists, so no QR can land before the notice and be captioned over). The Redis steps have a
   * timeout; the notice does not: in a busy group it may wait a few seconds for its turn to send.
   */
  private async queueUp(request: StartRequest, target: MessageRef, sessionId: string) {
    const { queue, store, screen } = this.deps;
    const line = await withTimeout(
      this.findPlace(request, target, sessionId),
      ENQUEUE_TIMEOUT_MS,
      "finding the QR session's place",
    );
    if (line.place > 0) {
      await screen.showQueued(target, request.instance, line, request.locale);
      if (line.scope === "chat")
        await store.update(request.instance, sessionId, { chatQueuedOn: messageKey(target) });
    }
    await withTimeout(
      enqueueQrSession(queue, { instance: request.instance, sessionId }),
      ENQUEUE_TIMEOUT_MS,
      "queueing the QR session",
    );
    return line;
  }

  /**
   * The session's place: in its chat's line (a group keeps only a few QRs fresh, the nearer limit
   * and the one to explain), else in the bot's. A session in line keeps its claim for as long as
   * the line can take: each place ahead frees within one session lifetime at worst.
   */
  private async findPlace(
    request: StartRequest,
    target: MessageRef,
    sessionId: string,
  ): Promise<QueueLine> {
    const { queue, store, capacity, timeoutMs, chatSlots, chatHoldMs } = this.deps;
    const chatCapacity = chatSlots?.capacityOf(target.chatId);
    const chatPlace = (await chatSlots?.hold(target.chatId, sessionId, chatHoldMs)) ?? 0;
    if (chatPlace > 0 && chatCapacity !== undefined) {
      const queuedUntil = Date.now() + (chatPlace + 1) * timeoutMs;
      await store.markQueued(request.instance, sessionId, queuedUntil);
      return { scope: "chat", place: chatPlace, capacity: chatCapacity };
    }
    const place = await placeInLine(queue, capacity);
    if (place > 0) {
      const queuedUntil = Date.now() + (Math.ceil(place / capacity) + 1) * timeoutMs;
      await store.markQueued(request.instance, sessionId, queuedUntil);
    }
    return { scope: "bot", place, capacity };
  }

  /**
   * Cancels a session that is still waiting in the queue right away: true when it was taken out
   * (nobody polls it; its message is the caller's to update), false when a worker already runs it.
   */
  async withdraw(session: {
    instance: string;
    sessionId: string;
    chatId: number;
  }): Promise<boolean> {
    const { instance, sessionId, chatId } = session;
    if (!(await withdrawQrSession(this.deps.queue, { instance, sessionId }))) return false;
    await this.deps.store.finish(instance, sessionId);
    await this.deps.chatSlots?.release(chatId, sessionId);
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
      .showEnd(target, request.instance, { kind: "failed" }, request.locale)
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
        const { place, scope } = await this.queueUp(request, target, sessionId);
        log.info({ sessionId, place, scope }, place ? "QR session queued" : "QR session started");
        return place ? { started: "queued", place, scope } : { started: "new" };
      } catch (error) {
        // No poller will come: free the instance and leave no "asking for a QR…" behind.
        await this.deps.store.finish(request.instance, sessionId).catch(() => undefined);
        await this.deps.chatSlots?.release(target.chatId, sessionId).catch(() => undefined);
        await this.showFailed(request, target);
        throw error;
      }
    }
    const from = { chatId: claim.moved.chatId, messageId: claim.moved.messageId };
    if (from.chatId !== target.chatId || from.messageId !== target.messageId) {
      await this.deps.screen.showMoved(from, request.instance, localeOf(claim.moved.locale));
    }
    const { runningSince, queuedUntil, chatQueuedOn } = claim.moved;
    if (runningSince === undefined && queuedUntil !== undefined && chatQueuedOn === undefined) {
      // Still in the bot's line: the new message says so too (its place is not known here, only
      // the wait). One in a chat's line is the poller's to place in the new chat's.
      const line = { scope: "bot" as const, place: 0, capacity: this.deps.capacity };
      await this.deps.screen.showQueued(target, request.instance, line, request.locale);
    }
    log.info({ sessionId: claim.moved.sessionId }, "QR session moved to a new message");
    return { started: "moved", from };
  }
}
