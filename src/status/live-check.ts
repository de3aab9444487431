import type { Instance } from "../config/index.js";
import { GreenApiError } from "../green-api/errors.js";
import type { StateHistory, StateInstance } from "../green-api/schemas.js";
import type { StatusCalls } from "./ports.js";

/**
 * /status for a few instances (up to STATUS_LIVE_MAX, fleet-overview.ts): each asked GREEN-API
 * now. How an answer (or its absence) reads is decided here, pure; LiveCheck makes the calls.
 */
export type InstanceReport =
  | { name: string; kind: "state"; state: StateInstance; phone?: string }
  | { name: string; kind: "unreachable" }
  /** GREEN-API is busy with other checks of the instance (its rate limit): not unreachable. */
  | { name: string; kind: "busy" }
  | { name: string; kind: "rejected" }
  | { name: string; kind: "forbidden" }
  | { name: string; kind: "quota-exceeded" };

/**
 * Linking (QR, code) cannot fix these: no such buttons for them. Unreachable neither: a QR or a
 * code needs the GREEN-API that is not answering, and the instance may well be linked.
 */
const NOT_LINKABLE = new Set<InstanceReport["kind"]>([
  "rejected",
  "forbidden",
  "quota-exceeded",
  "unreachable",
]);

/** A failed getStateInstance as a report: 401/403/466 their own, a 429 "busy", the rest unreachable. */
export function reportOfError(name: string, error: unknown): InstanceReport {
  if (!(error instanceof GreenApiError)) return { name, kind: "unreachable" };
  const end = error.endState;
  if (end === "credentials-rejected") return { name, kind: "rejected" };
  if (end) return { name, kind: end };
  if (error.failure === "rate-limited") return { name, kind: "busy" };
  return { name, kind: "unreachable" };
}

/** QR / Code buttons: not authorized (or not known to be), and linking could fix it. */
export function needsLinking(report: InstanceReport): boolean {
  if (report.kind === "state") return report.state !== "authorized";
  return !NOT_LINKABLE.has(report.kind);
}

/** How many of GREEN-API's recent states /status <instance> lists. */
export const HISTORY_SHOWN = 8;

/** The newest states first, at most HISTORY_SHOWN, times in ms (GREEN-API gives seconds or ms). */
export function recentStates(history: StateHistory): Array<{ at: number; state: string }> {
  return history.slice(0, HISTORY_SHOWN).map((entry) => ({
    at: entry.timestamp * (entry.timestamp < 1e12 ? 1000 : 1),
    state: entry.stateInstance,
  }));
}

/**
 * How long /status waits for an instance's turn under GREEN-API's 1/s when others (sessions,
 * watchers, another /status) are asking too: a few turns. Past it: "busy", never "unreachable".
 */
const STATUS_MAX_TURN_WAIT_MS = 8_000;

/** The live GREEN-API calls of /status, each bounded by `timeoutMs` and a turn wait. */
export class LiveCheck {
  constructor(
    private readonly calls: StatusCalls,
    private readonly options: { timeoutMs: number },
  ) {}

  /** The instance's state, and its number when it is authorized (best effort). */
  async report(instance: Instance): Promise<InstanceReport> {
    const options = { timeoutMs: this.options.timeoutMs, maxWaitMs: STATUS_MAX_TURN_WAIT_MS };
    const name = instance.name;
    try {
      const state = await this.calls.getStateInstance(instance, options);
      if (state !== "authorized") return { name, kind: "state", state };
      const phone = await this.calls
        .getWaSettings(instance, options)
        .then((settings) => settings.phone || undefined)
        .catch(() => undefined);
      return { name, kind: "state", state, phone };
    } catch (error) {
      return reportOfError(name, error);
    }
  }

  /** GREEN-API's recent states of the instance; none when it does not answer. */
  async history(instance: Instance): Promise<Array<{ at: number; state: string }>> {
    const history = await this.calls
      .getStateInstanceHistory(instance, { timeoutMs: this.options.timeoutMs })
      .catch(() => [] as StateHistory);
    return recentStates(history);
  }
}
