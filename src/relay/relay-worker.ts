import type { Agent } from "undici";
import { publicOnlyAgent, type Resolve } from "./guarded-connect.js";
import type { InstanceRegistry } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import { afterFailure, alertStep, type Backoff, DEFAULT_BACKOFF } from "./decisions.js";
import { describeFailure, forward, type ForwardOutcome } from "./forwarder.js";
import type { RelayCounters, RelayNotices } from "./ports.js";
import type { QueuedNotification } from "./relay-entry.js";
import type { RelayStore } from "./relay-store.js";
import type { RelayTargets } from "./targets.js";

export interface RelayWorkerOptions {
  /** This worker's name in the leases (host, pid, random). */
  holder: string;
  /** Instances forwarded at once (FORWARD_CONCURRENCY). */
  concurrency: number;
  timeoutMs: number;
  maxAgeMs: number;
  alertAfterMs: number;
  backoff?: Backoff;
  /** How often due instances are looked for when nothing woke the worker. */
  idlePollMs?: number;
  /** Notifications forwarded per lease before the slot goes to another instance (fairness). */
  batch?: number;
  fetch?: typeof fetch;
  /** Resolves names for targets that may reach public addresses only (tests give their own). */
  resolve?: Resolve;
}

/** An instance with no target any more (its config changed) is looked at again this much later. */
const NO_TARGET_RECHECK_MS = 60_000;

/**
 * Forwards the queued notifications, any number of workers in any number of processes. Each
 * instance is leased by one worker at a time, which sends its head, removes it once the
 * application answered 2xx and goes on with the next: in order per instance, and one slow
 * application holds only its own slot. A failure puts the instance back with a capped backoff
 * (decisions.ts) and frees the slot. Every wait has a bound: the forward's timeout, the lease.
 */
export class RelayWorker {
  private readonly busy = new Set<string>();
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private looking = false;
  private again = false;
  private readonly running = new Set<Promise<void>>();
  private readonly leaseMs: number;
  /** The client for targets kept from outside: public addresses only. */
  private readonly publicOnly: Agent;

  constructor(
    private readonly deps: {
      store: RelayStore;
      targets: RelayTargets;
      instances: InstanceRegistry;
      counters: RelayCounters;
      notices?: RelayNotices;
      logger: Logger;
      now?: () => number;
    },
    private readonly options: RelayWorkerOptions,
  ) {
    // Longer than one forward (renewed after each), so a live worker keeps it; short, so a
    // killed worker's instances move on soon after (README: within FORWARD_TIMEOUT_MS + 3 s).
    this.leaseMs = options.timeoutMs + 3_000;
    this.publicOnly = publicOnlyAgent(options.resolve);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Stops looking for work and waits for the forwards in flight (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
    await this.publicOnly.close().catch(() => undefined);
  }

  /** There is work (a notification was just queued here): look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.looking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    void this.look();
  }

  private async look(): Promise<void> {
    this.looking = true;
    try {
      do {
        this.again = false;
        await this.claimDue();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.deps.logger.warn({ err: error }, "relay: could not look for work");
    } finally {
      this.looking = false;
      if (!this.stopped) {
        this.timer = setTimeout(() => this.wake(), this.options.idlePollMs ?? 250);
      }
    }
  }

  private async claimDue(): Promise<void> {
    const free = this.options.concurrency - this.busy.size;
    if (free <= 0) return;
    const due = await this.deps.store.dueInstances(this.now(), free * 3 + this.busy.size);
    // Shuffled: several workers looking at once then rarely race for the same instances.
    const candidates = due.filter((id) => !this.busy.has(id)).sort(() => Math.random() - 0.5);
    const tries = candidates.slice(0, free);
    // Claimed at once: a look costs one round trip, not one per instance.
    const got = await Promise.all(
      tries.map((id) => this.deps.store.lease(id, this.options.holder, this.leaseMs)),
    );
    for (const [i, idInstance] of tries.entries()) {
      if (!got[i]) continue;
      if (this.stopped) {
        await this.deps.store.release(idInstance, this.options.holder);
        continue;
      }
      this.busy.add(idInstance);
      const run = this.drain(idInstance).finally(() => {
        this.busy.delete(idInstance);
        this.running.delete(run);
        // A slot is free: there may be more due.
        if (!this.stopped) this.wake();
      });
      this.running.add(run);
    }
  }

  /** Forwards the instance's queue in order while it holds the lease, up to a batch. */
  private async drain(idInstance: string): Promise<void> {
    const { store, logger } = this.deps;
    const { holder } = this.options;
    try {
      for (let sent = 0; sent < (this.options.batch ?? 50) && !this.stopped; sent += 1) {
        const head = await store.head(idInstance);
        if (!head) return;
        const target = await this.deps.targets.of(idInstance);
        if (!target) {
          await store.postpone(idInstance, this.now() + NO_TARGET_RECHECK_MS);
          return;
        }
        const outcome = await forward(target, head, {
          idInstance,
          timeoutMs: this.options.timeoutMs,
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          publicOnly: this.publicOnly,
        });
        if (!(await this.settle(idInstance, head, outcome))) return;
      }
    } catch (error) {
      logger.warn({ err: error, idInstance }, "relay: forwarding stopped on an error");
    } finally {
      await store.release(idInstance, holder).catch(() => undefined);
    }
  }

  /**
   * Records a forward's outcome; true to go on with the next notification. A delivery is one
   * Redis trip (removed, lease renewed, streak looked up); a lost lease (this worker froze past
   * it) ends the turn: another worker has the instance now.
   */
  private async settle(
    idInstance: string,
    head: QueuedNotification,
    outcome: ForwardOutcome,
  ): Promise<boolean> {
    const { store, counters } = this.deps;
    const now = this.now();
    if (outcome.ok) {
      const lease = { holder: this.options.holder, ms: this.leaseMs };
      const removed = await store.delivered(idInstance, head.deliveryId, now, lease);
      counters.relayForwarded((now - head.queuedAt) / 1000);
      if (removed.failing) await this.noteStreak(idInstance, await store.failure(idInstance), now);
      return removed.leaseHeld;
    }
    if (!(await store.renew(idInstance, this.options.holder, this.leaseMs))) return false;
    const before = await store.failure(idInstance);
    counters.relayFailed(outcome.reason);
    const step = alertStep(before, "failed", now, this.options.alertAfterMs);
    await store.setFailure(idInstance, step.state);
    const next = afterFailure(head, step.state.failures, now, {
      maxAgeMs: this.options.maxAgeMs,
      backoff: this.options.backoff ?? DEFAULT_BACKOFF,
    });
    if (step.notice) await this.tell(idInstance, step, describeFailure(outcome));
    if (next.kind === "dead-letter") {
      await store.deadLetter(idInstance, head.deliveryId, now);
      counters.relayDeadLettered();
      this.deps.logger.warn(
        { idInstance, deliveryId: head.deliveryId },
        "relay: a notification older than FORWARD_MAX_AGE_MS was dead-lettered",
      );
      // The next one is tried after the same backoff, not at once.
    }
    await store.postpone(idInstance, next.kind === "retry" ? next.at : now + 1_000);
    return false;
  }

  private async noteStreak(
    idInstance: string,
    before: Awaited<ReturnType<RelayStore["failure"]>>,
    now: number,
  ): Promise<void> {
    const step = alertStep(before, "delivered", now, this.options.alertAfterMs);
    await this.deps.store.setFailure(idInstance, step.state);
    if (step.notice) await this.tell(idInstance, { ...step, state: before });
  }

  private async tell(
    idInstance: string,
    step: ReturnType<typeof alertStep>,
    lastError?: string,
  ): Promise<void> {
    const instance = this.deps.instances.findById(idInstance);
    if (!step.notice || !instance || !this.deps.notices) return;
    const backlog = await this.deps.store.backlogOf(idInstance);
    await this.deps.notices
      .tell({
        kind: step.notice,
        instance: instance.name,
        failingSince: step.state.failingSince ?? this.now(),
        ...(lastError ? { lastError } : {}),
        backlog: backlog.count,
      })
      .catch((error) => this.deps.logger.warn({ err: error }, "relay notice not sent"));
    this.deps.logger.info({ idInstance, notice: step.notice }, "relay: application notice");
  }
}
