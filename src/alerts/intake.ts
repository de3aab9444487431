import type { StateInstance } from "../green-api/schemas.js";
import type { ObservationInbox } from "./observation-inbox.js";
import type { Observation } from "./transitions.js";

/**
 * The alerts' one way in: what the shard checks saw and the states GREEN-API's webhook pushed
 * join one inbox, and a watch run is asked for (ApplyRequests: a few a second at most, whatever
 * comes), so the single watch job takes a burst in one run (one grouped alert, one digest)
 * instead of one job per notification. http/ calls `webhookState`; the shard jobs `checked`.
 */
export class AlertIntake {
  constructor(
    private readonly deps: {
      /**
       * On a connection that fails fast: during an outage a webhook state gives up at once
       * (GREEN-API has its 200; the next poll is the safety net), and so does a shard job.
       */
      inbox: ObservationInbox;
      /** Asks for a watch run (ApplyRequests). */
      requestApply: { request(): Promise<void>; flush(): Promise<void> };
    },
  ) {}

  /** A shard job's observations. */
  async checked(observations: ReadonlyArray<readonly [string, Observation]>): Promise<void> {
    if (observations.length === 0) return;
    await this.deps.inbox.push(observations);
    await this.deps.requestApply.request();
  }

  /** A state GREEN-API pushed (webhook): trusted at once, no second check needed. */
  async webhookState(instance: string, state: StateInstance, at: number): Promise<void> {
    await this.deps.inbox.push([[instance, { kind: "state", state, at, source: "webhook" }]]);
    await this.deps.requestApply.request();
  }

  /**
   * The phone itself sent a message at `at` (an outgoingMessageReceived webhook): the watcher
   * counts the early warning from there.
   */
  async phoneSeen(instance: string, at: number): Promise<void> {
    await this.deps.inbox.push([[instance, { kind: "phoneSeen", at }]]);
    await this.deps.requestApply.request();
  }

  /** Everything waiting, oldest first: for the single watch job only. */
  drain(): Promise<Array<readonly [string, Observation]>> {
    return this.deps.inbox.drain();
  }

  /** Shutting down: a deferred request for a run is made now rather than dropped. */
  flush(): Promise<void> {
    return this.deps.requestApply.flush();
  }
}
