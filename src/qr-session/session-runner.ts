import { setMaxListeners } from "node:events";
import type { Instance, InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Closure } from "../shared/closure.js";
import type { Logger } from "../shared/logger.js";
import type { ChatLine, QrBroadcast, QrCounters, QrScreen } from "./ports.js";
import type { SecretRights } from "../access/secret-place.js";

import { ChatPlace } from "./chat-place.js";
import { LeaseGuard } from "./lease-guard.js";
import { QrPoll } from "./qr-poll.js";
import { PollSource, type QrSource, type QrSourceFactory } from "./qr-source.js";
import { cancelIfRevoked } from "./rights-recheck.js";
import { type LiveSession, SessionActions } from "./session-actions.js";
import type { SessionOutcome } from "./session-end.js";
import { initialState, type MachineSettings, next, type Observation } from "./session-machine.js";
import type { SessionStore } from "./session-store.js";

/** The machine's settings (session-machine.ts): poll interval, lease, state checks, backoff. */
export type SessionRunnerOptions = MachineSettings;

export interface SessionRunnerDeps {
  store: SessionStore;
  greenApi: GreenApiClient;
  screen: QrScreen;
  instances: InstanceRegistry;
  logger: Logger;
  /** Where QR codes come from (QR_SOURCE; without it, polling). */
  sources?: QrSourceFactory;
  /** How many sessions may show live QRs in one group chat; none: no per-chat limit. */
  chatSlots?: ChatLine;
  counters?: QrCounters;
  /** Each QR shown and the end, for the link page's viewers of the same session. */
  broadcast?: QrBroadcast;
  now?: () => number;
  /** The instance got linked: remember who and the number, read the backlog (pairing/closures.ts). */
  onLinked?: (instance: Instance, userId: number, phone?: string) => Promise<Closure | undefined>;
  /** Asked when a session starts or resumes: its starter's right and its chat's place. */
  rights?: SecretRights;
}

/**
 * Runs one QR session: polls GREEN-API's `qr`, keeps the session's one photo message showing the
 * current QR, and ends it with a status card. All it needs to resume lives in the session record,
 * so a session picked up again after a crash continues on the same message.
 */
export class SessionRunner {
  private readonly now: () => number;
  private readonly actions: SessionActions;

  constructor(
    private readonly deps: SessionRunnerDeps,
    private readonly options: SessionRunnerOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.actions = new SessionActions(deps, this.now);
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
    const { store, logger: parentLogger } = this.deps;
    const logger = parentLogger.child({ instance: instanceName, sessionId });
    const instance = this.deps.instances.find(instanceName);
    if (!instance) {
      // The instances file changed under a running session: nothing to poll any more.
      logger.warn("instance no longer configured; ending its QR session");
      await store.finish(instanceName, sessionId);
      return { kind: "replaced" };
    }

    await cancelIfRevoked(store, this.deps.rights, instanceName, sessionId, logger);

    const { run, closeSource } = this.liveSession(instance, sessionId, pollerId, shutdown, logger);
    try {
      const outcome = await this.loop(run, shutdown);
      // A suspended session keeps its place for whoever resumes it; any other end frees it.
      if (outcome.kind !== "suspended") await run.place.release().catch(() => undefined);
      return outcome;
    } finally {
      run.lease.stop();
      closeSource();
    }
  }

  /** What this worker keeps for the session while it runs it; `closeSource` when it stops. */
  private liveSession(
    instance: Instance,
    sessionId: string,
    pollerId: string,
    shutdown: AbortSignal,
    logger: Logger,
  ): { run: LiveSession; closeSource: () => void } {
    const { store, greenApi } = this.deps;
    // Opened on the first poll this worker owns: a socket is GREEN-API's only one for the instance.
    let source: QrSource | undefined;
    const sourceNow = () => {
      source ??= this.deps.sources?.open(instance, logger) ?? new PollSource(greenApi, instance);
      return source;
    };
    // A place outlives a takeover (derived.ts, chatHoldMs): the successor finds it held.
    const place = new ChatPlace(this.deps.chatSlots, sessionId, 3 * this.options.leaseMs);
    const { leaseMs } = this.options;
    const lease = new LeaseGuard(store, instance.name, sessionId, pollerId, leaseMs, this.now);
    // Every wait and request of the session ends at shutdown, or as soon as the lease is lost.
    const stop = AbortSignal.any([shutdown, lease.signal]);
    // Requests given it (fetch) drop their listener only when collected: many are expected.
    setMaxListeners(0, stop);
    const run: LiveSession = {
      instance,
      sessionId,
      lease,
      place,
      sourceNow,
      stop,
      logger,
      state: initialState(this.now()),
      poll: new QrPoll(),
      lineCard: { message: "", triedAt: 0 },
    };
    return { run, closeSource: () => source?.close() };
  }

  /**
   * The thin loop around session-machine.ts: it observes (heartbeat, poll, edit, state check),
   * asks `next` what to do, and does it. Shutdown suspends the session wherever it is.
   */
  private async loop(run: LiveSession, shutdown: AbortSignal): Promise<SessionOutcome> {
    let observation: Observation | undefined;
    while (!shutdown.aborted) {
      const lost = run.lease.lostStatus;
      if (lost) observation = { kind: "lease", status: lost };
      observation ??= await this.observeLease(run);
      const step = next(run.state, observation, this.now(), this.options);
      run.state = step.state;
      observation = undefined;
      const record = run.state.record;
      for (const action of step.actions) {
        const result = await this.actions.perform(run, action, record);
        if (result && "outcome" in result) return result.outcome;
        if (result) observation = result.observation;
        // A lost lease is the machine's to decide on (next turn); shutdown suspends here.
        if (run.stop.aborted) break;
      }
    }
    run.lease.stop();
    await this.deps.store.releaseLease(run.instance.name, run.lease.pollerId);
    return { kind: "suspended" };
  }

  /** The heartbeat (takes or renews the lease) and, when held, the session's place in its chat's line. */
  private async observeLease(run: LiveSession): Promise<Observation> {
    const { instance, sessionId, lease, place } = run;
    const sentAt = this.now();
    const beat = await this.deps.store.heartbeat(
      instance.name,
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
}
