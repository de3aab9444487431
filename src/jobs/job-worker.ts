import { setMaxListeners } from "node:events";
import { type ConnectionOptions, DelayedError, type Job, Worker } from "bullmq";
import type { Logger } from "../shared/logger.js";
import type { JobKind } from "./job-kind.js";

export interface JobWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** BullMQ's lock on a running job (renewed every half of it). Unset: BullMQ's 30 s. */
  lockMs?: number;
  /**
   * How often a lapsed lock is looked for: a crashed worker's job is picked up again within
   * lockMs + this. Unset: lockMs.
   */
  stalledCheckMs?: number;
}

/**
 * What a job's handler returns: how it ended, or that it must run again: it stopped for a
 * shutdown and must resume, or it leaves the job to another worker (after `retryAfterMs`).
 */
export type LoopEnd = string | void | { suspended: true; retryAfterMs?: number };

/**
 * The worker of one job kind. Data is checked with the kind's schema before the handler sees it
 * (a malformed job fails, it is never run). On stop it aborts the signal every handler watches:
 * one that returns `{ suspended: true }` (a long loop: a QR session, a pairing-code watch) has its
 * job moved back to the queue at once, so the next worker (this one restarted, or another)
 * resumes it instead of waiting for a stall timeout. Everything a loop needs lives in Redis.
 */
export class JobWorker<Data> {
  private readonly worker: Worker<Data>;
  private readonly shutdown = new AbortController();

  constructor(
    kind: JobKind<Data>,
    handler: (data: Data, signal: AbortSignal, job: Job<Data>) => Promise<LoopEnd>,
    options: JobWorkerOptions,
    private readonly logger: Logger,
  ) {
    const queueName = kind.queueName;
    this.worker = new Worker<Data>(
      queueName,
      async (job, token, lockLost?: AbortSignal) => {
        // lockLost: BullMQ could not renew this job's lock (this process froze or lost Redis
        // past it): the job may already run elsewhere, so the loop stops.
        const signal = lockLost
          ? AbortSignal.any([this.shutdown.signal, lockLost])
          : this.shutdown.signal;
        setMaxListeners(0, signal);
        const end = await handler(kind.schema.parse(job.data), signal, job);
        if (typeof end !== "object") return end;
        if (token) await this.handBack(job, token, end.retryAfterMs ?? 0);
        throw new DelayedError();
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        ...(options.lockMs
          ? {
              lockDuration: options.lockMs,
              stalledInterval: options.stalledCheckMs ?? options.lockMs,
            }
          : {}),
        // Every crash of a worker counts as a stall; a long job survives many.
        maxStalledCount: 20,
        autorun: false,
      },
    );
    // Every running handler listens to this one signal: hundreds of listeners are expected.
    setMaxListeners(0, this.shutdown.signal);
    this.worker.on("error", (error) => logger.error({ err: error, queueName }, "worker error"));
    this.worker.on("lockRenewalFailed", (jobIds) => {
      for (const jobId of jobIds) this.worker.cancelJob(jobId, "lock lost");
    });
    this.worker.on("failed", (job, error) =>
      logger.error(
        { err: error, queueName, jobId: job?.id, attemptsMade: job?.attemptsMade },
        "job failed",
      ),
    );
  }

  /**
   * Moves a suspended job back to the queue for the next worker. A job whose lock this process
   * lost is no longer its to move: BullMQ hands it on (it may already run elsewhere).
   */
  private async handBack(job: Job<Data>, token: string, afterMs: number): Promise<void> {
    try {
      await job.moveToDelayed(Date.now() + afterMs, token);
    } catch (error) {
      this.logger.info({ err: error, jobId: job.id }, "job no longer held here; not handed back");
    }
  }

  start(): void {
    void this.worker.run().catch((error) => this.logger.error({ err: error }, "worker stopped"));
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.worker.close();
  }
}
