import type { ConnectionOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { defineJobKind } from "../jobs/job-kind.js";
import { JobWorker } from "../jobs/job-worker.js";
import type { Logger } from "../shared/logger.js";
import type { Alerter } from "./alerter.js";
import type { AlertIntake } from "./intake.js";
import type { CheckJob, StateChecks } from "./state-checks.js";

const WATCH_QUEUE_NAME = "state-watch";
/** Before 0.3 one scheduled job checked the whole fleet; removed at start where it lingers. */
const LEGACY_SCHEDULER_ID = "state-watch-poll";

/**
 * Take in what the intake holds ("poll": the name of this job before 0.3). The 0.2 "webhook"
 * kind is gone (webhook states come through the intake): such a job left in Redis fails its
 * check and is not run (CHANGELOG 0.3.0).
 */
const watchJobSchema = z.object({ kind: z.enum(["apply", "poll"]) });
export type WatchJob = z.infer<typeof watchJobSchema>;

/**
 * The watcher's queue: a global concurrency of 1 makes its apply runs one at a time across every
 * worker process, so the watch records and the alert messages never see two writers. The checks
 * themselves run in parallel on every worker (StateChecks); only their results come through here.
 */
export const watchJobs = defineJobKind<WatchJob>({
  queueName: WATCH_QUEUE_NAME,
  schema: watchJobSchema,
  defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});

/**
 * Asks for one apply run shortly: adds within `windowMs` of the first one are merged (BullMQ
 * deduplication), so a burst of shard jobs gives one run, and one grouped alert per chat.
 */
export async function requestApply(queue: Queue<WatchJob>, windowMs: number): Promise<void> {
  await queue.add(
    "apply",
    { kind: "apply" },
    { delay: windowMs, deduplication: { id: "apply", ttl: windowMs } },
  );
}

export interface StateWatcherOptions {
  /** For the Worker (BullMQ blocks on it). */
  workerConnection: ConnectionOptions;
  /** The process's watch and check queues (from `Queues`), and the connection they are on. */
  queue: Queue<WatchJob>;
  checkQueue: Queue<CheckJob>;
  /** Its 'ready' re-creates the schedulers in case Redis came back empty. */
  queueConnection: Redis;
  prefix: string;
}

/**
 * The state watcher of a worker process: runs its share of the fleet's checks (StateChecks) and,
 * one at a time across every process, the watch jobs that turn what the intake holds (checks and
 * webhooks) into memory and alerts (Alerter). Every piece of its schedule lives in Redis and
 * survives restarts.
 */
export class StateWatcher {
  private readonly worker: JobWorker<WatchJob>;
  private readonly onReady = () => void this.ensureSchedule();

  constructor(
    private readonly deps: {
      alerter: Alerter;
      checks: StateChecks;
      intake: Pick<AlertIntake, "drain">;
      logger: Logger;
    },
    private readonly options: StateWatcherOptions,
  ) {
    this.worker = new JobWorker(
      watchJobs,
      () => this.process(),
      { connection: options.workerConnection, prefix: options.prefix, concurrency: 1 },
      deps.logger,
    );
  }

  async start(): Promise<void> {
    this.worker.start();
    await this.worker.waitUntilReady();
    await this.deps.checks.start();
    await this.ensureSchedule();
    this.options.queueConnection.on("ready", this.onReady);
  }

  async stop(): Promise<void> {
    this.options.queueConnection.off("ready", this.onReady);
    await Promise.all([this.deps.checks.stop(), this.worker.stop()]);
  }

  /** Idempotent: every worker process calls it at start, after a reconnect, on fleet changes. */
  async ensureSchedule(): Promise<void> {
    try {
      await this.options.queue.setGlobalConcurrency(1);
      await this.options.queue.removeJobScheduler(LEGACY_SCHEDULER_ID);
      await this.deps.checks.schedule(this.options.checkQueue);
    } catch (error) {
      this.deps.logger.warn({ err: error }, "could not set up the state watch schedule");
    }
  }

  private async process(): Promise<void> {
    const recheck = await this.deps.alerter.ingest(await this.deps.intake.drain());
    if (recheck.length > 0) await this.deps.checks.recheck(this.options.checkQueue, recheck);
  }
}
