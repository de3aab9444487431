import { createHash } from "node:crypto";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { endStateOf, GreenApiError } from "../green-api/errors.js";
import { isNeedsLogout, type QrAnswer } from "../green-api/schemas.js";
import type { QrSource } from "./qr-source.js";
import type { Observation, PollAnswer, PollFailure } from "./session-machine.js";

/**
 * What a session's tick asks GREEN-API, turned into what session-machine.ts observes: the QR (from
 * its source, polled or a socket) and, now and then, the instance's state. The machine knows no
 * GREEN-API answer shapes and no errors; this file is where they are read.
 */

/** The longest a session's state check waits for its turn under GREEN-API's 1/s per instance. */
const STATE_CHECK_MAX_WAIT_MS = 2_000;

const hashQr = (base64: string) => createHash("sha1").update(base64).digest("base64url");

/** A QR as GREEN-API gave it (base64 PNG) and its hash, the name the machine knows it by. */
export interface SeenQr {
  message: string;
  hash: string;
}

/** One session's QR polls: the QR last seen, and the last failure for the log line. */
export class QrPoll {
  /** The QR last seen and its hash: an unchanged QR (most ticks) costs a string compare, no sha1. */
  seen: SeenQr | undefined;
  /** The last poll's failure, which the machine's `poll-failed` log event reports. */
  lastError: unknown;

  /** Asks the source for the current QR; undefined when `stop` cut the request short. */
  async poll(
    source: QrSource,
    stop: AbortSignal,
    now: () => number,
  ): Promise<Observation | undefined> {
    const sentAt = now();
    try {
      const answer = await source.current(stop);
      if (answer?.type === "qrCode" && this.seen?.message !== answer.message) {
        this.seen = { message: answer.message, hash: hashQr(answer.message) };
      }
      return { kind: "polled", answer: pollAnswer(answer, this.seen?.hash), sentAt };
    } catch (error) {
      if (stop.aborted) return undefined;
      this.lastError = error;
      return { kind: "poll-failed", failure: pollFailure(error) };
    }
  }
}

/**
 * A safety net for a missed login: when others hold the instance's turns (1/s), skip it rather
 * than hold up the QR.
 */
export async function checkState(
  greenApi: GreenApiClient,
  instance: Instance,
  stop: AbortSignal,
): Promise<Observation> {
  const current = await greenApi
    .getStateInstance(instance, { signal: stop, maxWaitMs: STATE_CHECK_MAX_WAIT_MS })
    .catch(() => undefined);
  return { kind: "state", authorized: current === "authorized" };
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
