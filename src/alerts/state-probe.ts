import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { GreenApiError, type GreenApiFailure } from "../green-api/errors.js";
import type { Logger } from "../shared/logger.js";
import type { AlertStore } from "./alert-store.js";
import type { Observation } from "./transitions.js";

/** GREEN-API allows getStateInstance once a second per instance; never check more often. */
const MIN_CHECK_SPACING_MS = 1_000;
/**
 * How long a background state check waits for its instance's turn under GREEN-API's per-instance
 * limit, shared with every caller. Longer, and the watcher would book the instance's slots ahead
 * and starve the calls an operator waits on (a pairing code's login check waits at most 2 s); a
 * check that gets no turn is simply made at the next run.
 */
const CHECK_TURN_WAIT_MS = 1_000;
/** These say nothing about the instance: GREEN-API did not answer properly. */
const UNREACHABLE: ReadonlySet<GreenApiFailure> = new Set([
  "timeout",
  "network",
  "server-error",
  "invalid-answer",
]);

export interface CheckOptions {
  /** Per getStateInstance call. */
  timeoutMs: number;
  signal: AbortSignal;
  /**
   * Waits for the fleet's turn (GREEN_API_REQUESTS_PER_SECOND across processes); false: no turn
   * in time, this instance is checked at the next run instead.
   */
  beforeCheck: () => Promise<boolean>;
}

/**
 * Asks GREEN-API for instances' states and says what each answer means (an Observation). Writes
 * nothing: the observations go through the intake to the single watch job.
 */
export class StateProbe {
  constructor(
    private readonly deps: {
      /** The watch records: when each instance was last checked. */
      store: Pick<AlertStore, "watches">;
      greenApi: Pick<GreenApiClient, "getStateInstance">;
      logger: Logger;
    },
  ) {}

  /**
   * Checks these instances concurrently (a share of the fleet: StateChecks runs one shard per
   * job), skipping any checked less than a second ago.
   */
  async checkEach(
    instances: readonly Instance[],
    options: CheckOptions,
  ): Promise<Array<readonly [string, Observation]>> {
    const watches = await this.deps.store.watches(instances.map((instance) => instance.name));
    const started = Date.now();
    const checks = await Promise.all(
      instances.map(async (instance) => {
        const checkedAt = watches.get(instance.name)?.checkedAt ?? 0;
        if (started - checkedAt < MIN_CHECK_SPACING_MS) return undefined;
        if (!(await options.beforeCheck())) return undefined;
        const observation = await this.check(instance, options);
        return observation && ([instance.name, observation] as const);
      }),
    );
    return checks.filter((check) => check !== undefined);
  }

  private async check(instance: Instance, options: CheckOptions): Promise<Observation | undefined> {
    try {
      const state = await this.deps.greenApi.getStateInstance(instance, {
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        maxWaitMs: CHECK_TURN_WAIT_MS,
      });
      return { kind: "state", state, at: Date.now(), source: "poll" };
    } catch (error) {
      if (options.signal.aborted) return undefined;
      const log = this.deps.logger.child({ instance: instance.name });
      if (error instanceof GreenApiError && UNREACHABLE.has(error.failure)) {
        log.warn({ failure: error.failure, status: error.status }, "state check got no answer");
        return { kind: "unreachable", at: Date.now() };
      }
      if (error instanceof GreenApiError && error.failure === "rate-limited" && !error.status) {
        // Others had the instance's turns (a live QR, a pairing code): checked next run.
        log.debug("state check skipped: no turn under GREEN-API's limit");
        return undefined;
      }
      // Wrong credentials, quota: not an outage of the instance; logged, not counted.
      log.warn({ err: error }, "state check failed");
      return undefined;
    }
  }
}
