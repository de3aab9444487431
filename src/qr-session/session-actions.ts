import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { localeOf } from "../shared/locale.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";
import type { ChatPlace } from "./chat-place.js";
import type { LeaseGuard } from "./lease-guard.js";
import { checkState, type QrPoll } from "./qr-poll.js";
import type { QrSource } from "./qr-source.js";
import { type LineCard, type ScreenEditDeps, showQrEdit, waitInChatLine } from "./screen-edits.js";
import { closeSession, type LinkedEndDeps, linkedEnd } from "./session-close.js";
import type { SessionOutcome } from "./session-end.js";
import { logEvent } from "./session-log.js";
import type { Action, MachineState, Observation } from "./session-machine.js";
import type { SessionRecord } from "./session-record.js";

/**
 * Does what session-machine.ts asks for, one action at a time, and turns what came of it into the
 * machine's next observation. session-runner.ts owns the session's life (start, loop, heartbeat,
 * cleanup); this file owns the work of each action, with the lease checked before each request
 * that could show a stale QR.
 */

/** What one run of a session keeps between the machine's steps. */
export interface LiveSession {
  instance: Instance;
  sessionId: string;
  lease: LeaseGuard;
  place: ChatPlace;
  /** The QR source, opened on the first poll this worker owns. */
  sourceNow: () => QrSource;
  /** Shutdown, or the lease lost: every wait and request of the session ends then. */
  stop: AbortSignal;
  logger: Logger;
  state: MachineState;
  poll: QrPoll;
  lineCard: LineCard;
}

/** What doing one action came to: the session's end, something for the machine, or nothing. */
export type ActionResult = { outcome: SessionOutcome } | { observation: Observation } | undefined;

export interface SessionActionDeps extends ScreenEditDeps, LinkedEndDeps {
  greenApi: GreenApiClient;
}

export class SessionActions {
  constructor(
    private readonly deps: SessionActionDeps,
    private readonly now: () => number,
  ) {}

  /** Does one action the machine asked for, and says what came of it. */
  async perform(
    run: LiveSession,
    action: Action,
    record: SessionRecord | undefined,
  ): Promise<ActionResult> {
    const { store } = this.deps;
    const { instance, sessionId, stop } = run;
    switch (action.kind) {
      case "quit":
        return { outcome: await this.quit(run, action.outcome) };
      case "end": {
        if (!record) return { outcome: { kind: "replaced" } };
        const end =
          action.end.kind === "authorized"
            ? await linkedEnd(this.deps, instance, record.startedBy)
            : action.end;
        void this.deps.broadcast
          ?.ended(
            instance.name,
            end.kind === "authorized" || end.kind === "already-authorized" ? end.kind : "other",
          )
          .catch(() => undefined);
        return { outcome: await closeSession(this.deps, record, end, run.logger) };
      }
      case "log":
        logEvent(run.logger, action.event, run.poll.lastError);
        return undefined;
      case "show-line-card": {
        if (!record) return undefined;
        const shown = await waitInChatLine(this.deps, record, action.place, run.lineCard, this.now);
        return { observation: { kind: "line-card", gone: shown === "gone" } };
      }
      case "start-running":
        await store.startRunning(instance.name, sessionId, this.now());
        return undefined;
      case "poll":
        return this.poll(run);
      case "edit-qr":
        return this.editQr(run, action.hash, record);
      case "remember-shown":
        if (!record) return undefined;
        await store.update(instance.name, sessionId, {
          renderedHash: action.hash,
          renderedMessageId: record.messageId,
          renderedChatId: record.chatId,
          qrShownAt: record.qrShownAt ?? this.now(),
        });
        return undefined;
      case "check-state":
        return { observation: await checkState(this.deps.greenApi, instance, stop) };
      case "show-unanswered":
        // Best effort: a failed edit changes nothing, the next QR goes on screen either way.
        if (record)
          await this.deps.screen.showUnanswered(
            { chatId: record.chatId, messageId: record.messageId },
            instance.name,
            localeOf(record.locale),
          );
        return undefined;
      case "wait":
        if (action.on === "clock") await sleep(action.ms, stop);
        else await run.sourceNow().wait(action.ms, stop);
        return undefined;
    }
  }

  private async quit(
    run: LiveSession,
    outcome: "replaced" | "message-gone" | "lease-lost",
  ): Promise<SessionOutcome> {
    if (outcome === "message-gone") await this.deps.store.finish(run.instance.name, run.sessionId);
    if (outcome === "lease-lost") {
      run.logger.warn("QR session lease lost; stopping here, the queue hands the session on");
      return { kind: "suspended" };
    }
    return { kind: outcome };
  }

  private async poll(run: LiveSession): Promise<ActionResult> {
    // Fencing: never ask GREEN-API for a QR without the lease (a frozen poller woke).
    const fence = await run.lease.check();
    if (fence !== "held") return { observation: { kind: "lease", status: fence } };
    const source = run.sourceNow();
    run.state = { ...run.state, sourceReportsLogin: source.reportsLogin };
    const observation = await run.poll.poll(source, run.stop, this.now);
    return observation && { observation };
  }

  private async editQr(
    run: LiveSession,
    hash: string,
    record: SessionRecord | undefined,
  ): Promise<ActionResult> {
    const seen = run.poll.seen;
    if (!record || !seen) return undefined;
    // Fencing: the poll may have hung past the lease; a QR it brought may be stale.
    const fence = await run.lease.check();
    if (fence !== "held") return { observation: { kind: "lease", status: fence } };
    const { instance, stop } = run;
    const observation = await showQrEdit(
      this.deps,
      instance.name,
      record,
      seen,
      hash,
      stop,
      this.now,
    );
    return observation && { observation };
  }
}
