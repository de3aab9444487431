import type { ConnectionOptions, Queue } from "bullmq";
import { z } from "zod";
import type { Instance, InstanceRegistry } from "../config/index.js";
import type { FleetLimit } from "../green-api/fleet-limit.js";
import { defineJobKind } from "../jobs/job-kind.js";
import { JobWorker, type LoopEnd } from "../jobs/job-worker.js";
import type { Logger } from "../shared/logger.js";
import { SHARD_SIZE, shardOf, shardSchedules, staleSchedulers } from "./check-shards.js";
import type { CheckTurns } from "./check-turns.js";
import type { AlertIntake } from "./intake.js";
import type { QueueProbe } from "./queue-probe.js";
import type { StateProbe } from "./state-probe.js";

const CHECK_QUEUE_NAME = "state-check";
/**
 * A queue reading waits this long at most for a turn in the fleet's budget
 * (GREEN_API_REQUESTS_PER_SECOND), a state check up to its timeout: when the budget is short,
 * readings are skipped (made at a later run) and state checks are delayed half a second at most.
 */
const QUEUE_READ_TURN_MS = 500;
/** A shard job handed back to take turns is due again this soon (the other worker races for it). */
const TURN_RETRY_MS = 25;

const checkJobSchema = z.union([
  /** A shard's checks, every interval (check-shards.ts). */
  z.object({
    shard: z.number().int().nonnegative(),
    shards: z.number().int().positive(),
  }),
  /** A second check of instances seen once in a bad state (`recheckDue`), soon after the first. */
  z.object({ recheck: z.array(z.string().min(1)).min(1).max(SHARD_SIZE) }),
]);
export type CheckJob = z.infer<typeof checkJobSchema>;

/** One job per shard and interval; no retries: the next interval checks the shard again. */
export const checkJobs = defineJobKind<CheckJob>({
  queueName: CHECK_QUEUE_NAME,
  schema: checkJobSchema,
  defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 100 } },
});

export interface StateChecksOptions {
  workerConnection: ConnectionOptions;
  prefix: string;
  intervalMs: number;
  checkTimeoutMs: number;
  /** Shard jobs one process runs at once. */
  concurrency: number;
  /** A dead worker's shard job is run again within about twice this. */
  lockMs: number;
  /** How soon a bad state seen once is checked again (derived: `confirmRecheckMs`); 0: never. */
  recheckAfterMs: number;
}

/**
 * The fleet's state checks, spread as BullMQ jobs (one scheduler per shard, see check-shards.ts)
 * so that every worker process takes a share. A shard job only asks GREEN-API (StateProbe): its
 * observations go to the intake, and the single watch job (StateWatcher) turns them into memory
 * and alerts.
 */
export class StateChecks {
  private readonly worker: JobWorker<CheckJob>;
  /** Each shard's instances, for one shard count; dropped when the fleet changes. */
  private membersByShard?: { shards: number; members: Instance[][] };
  private readonly forgetShards = () => (this.membersByShard = undefined);
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly deps: {
      probe: StateProbe;
      instances: InstanceRegistry;
      /** Where a shard's observations go (the watch job takes them from there). */
      intake: Pick<AlertIntake, "checked">;
      fleet: FleetLimit;
      /** Fair shares between worker processes (check-turns.ts). */
      turns: CheckTurns;
      /** Reads authorized instances' send queues (STUCK_AFTER_MS); none: not read. */
      queues?: QueueProbe;
      logger: Logger;
    },
    private readonly options: StateChecksOptions,
  ) {
    this.worker = new JobWorker(
      checkJobs,
      (data, signal, job) => this.runInTurn(data, signal, job.id ?? ""),
      {
        connection: options.workerConnection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockMs: options.lockMs,
      },
      deps.logger,
    );
  }

  async start(): Promise<void> {
    this.unsubscribe = this.deps.instances.onChange(this.forgetShards);
    this.worker.start();
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.worker.stop();
  }

  /** The instances of one shard: the fleet hashed once, not at every shard job. */
  private shardMembers(shard: number, shards: number): Instance[] {
    if (this.membersByShard?.shards !== shards) {
      const members: Instance[][] = Array.from({ length: shards }, () => []);
      for (const instance of this.deps.instances.all()) {
        members[shardOf(instance.name, shards)]?.push(instance);
      }
      this.membersByShard = { shards, members };
    }
    return this.membersByShard.members[shard] ?? [];
  }

  /**
   * Makes the shard schedulers match the fleet: idempotent, called by every worker process at
   * start, after a Redis reconnect and when the instance list changes.
   */
  async schedule(queue: Queue<CheckJob>): Promise<void> {
    const wanted = shardSchedules(this.deps.instances.all().length, this.options.intervalMs);
    const existing = (await queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);
    for (const id of staleSchedulers(existing, wanted)) await queue.removeJobScheduler(id);
    const present = new Set(existing);
    const now = Date.now();
    for (const { id, shard, shards, offsetMs } of wanted) {
      if (present.has(id)) continue;
      // The first shard runs at once (the start-up summary); the others follow at their phase.
      await queue.upsertJobScheduler(
        id,
        { every: this.options.intervalMs, startDate: now + offsetMs - 1 },
        { name: "check", data: { shard, shards } },
      );
    }
  }

  /**
   * Checks these instances again after `recheckAfterMs`, on whichever worker is free: a logout
   * seen once is trusted (or cleared) within seconds, not one interval later.
   */
  async recheck(queue: Queue<CheckJob>, names: readonly string[]): Promise<void> {
    if (this.options.recheckAfterMs <= 0) return;
    for (let from = 0; from < names.length; from += SHARD_SIZE) {
      const recheck = names.slice(from, from + SHARD_SIZE);
      await queue.add("recheck", { recheck }, { delay: this.options.recheckAfterMs });
    }
  }

  /** Shard jobs this process handed back, and since when: past `maxDeferMs` it runs them. */
  private readonly deferredSince = new Map<string, number>();

  /**
   * A shard job another worker should take (it is behind in this interval's count) goes back to
   * the queue for a moment; a recheck is urgent and runs wherever it lands.
   */
  private async runInTurn(job: CheckJob, signal: AbortSignal, jobId: string): Promise<LoopEnd> {
    const turns = this.deps.turns;
    if (!("recheck" in job)) {
      const now = Date.now();
      const since = this.deferredSince.get(jobId) ?? now;
      const waitedEnough = now - since >= this.maxDeferMs;
      const mine = waitedEnough || (await turns.take(now).catch(() => true));
      if (!mine) {
        this.deferredSince.set(jobId, since);
        return { suspended: true, retryAfterMs: TURN_RETRY_MS };
      }
      this.deferredSince.delete(jobId);
      for (const [id, at] of this.deferredSince) {
        if (now - at > 10 * this.maxDeferMs) this.deferredSince.delete(id);
      }
    }
    await this.run(job, signal);
  }

  /**
   * A shard job waits for another worker at most this long: a tenth of the interval (inside the
   * ±10 % a check may slip), 1 s at most.
   */
  private get maxDeferMs(): number {
    return Math.min(1_000, Math.floor(this.options.intervalMs / 10));
  }

  private async run(job: CheckJob, signal: AbortSignal): Promise<void> {
    const members =
      "recheck" in job
        ? job.recheck.flatMap((name) => this.deps.instances.find(name) ?? [])
        : this.shardMembers(job.shard, job.shards);
    if (members.length === 0) return;
    const timeoutMs = this.options.checkTimeoutMs;
    const observations = await this.deps.probe.checkEach(members, {
      timeoutMs,
      signal,
      // A check with no fleet turn within its timeout waits for the next interval.
      beforeCheck: () => this.deps.fleet.take(timeoutMs, signal),
    });
    if (signal.aborted) return; // shutting down: timeouts now would count as failures
    await this.deps.intake.checked(observations);
    // After the states are handed on: a slow queue never delays an alert.
    if (!this.deps.queues || "recheck" in job) return;
    const readings = await this.deps.queues.checkEach(members, observations, {
      timeoutMs,
      signal,
      beforeCheck: () => this.deps.fleet.take(QUEUE_READ_TURN_MS, signal),
    });
    if (!signal.aborted) await this.deps.intake.checked(readings);
  }
}
