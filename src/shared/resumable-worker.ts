import { setMaxListeners } from "node:events";
import { type ConnectionOptions, DelayedError, type Job, Worker } from "bullmq";
import type { Logger } from "./logger.js";

export interface ResumableWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** BullMQ lock: after a crash, a job is picked up again within about twice this. */
  lockMs: number;
}

/** What a job's loop returns: how it ended, or that it stopped for a shutdown and must resume. */
export type LoopEnd = string | { suspended: true };

/**
 * A BullMQ worker for jobs that are long loops (a QR session, a pairing-code watch). On stop it
 * aborts the signal every loop watches: a loop that returns `{ suspended: true }` has its job
 * moved back to the queue at once, so the next worker (this one restarted, or another) resumes it
 * instead of waiting for a stall timeout. Everything a loop needs to resume lives in Redis.
 */
export class ResumableWorker<Data> {
  private readonly worker: Worker<Data>;
  private readonly shutdown = new AbortController();

  constructor(
    queueName: string,
    loop: (job: Job<Data>, signal: AbortSignal) => Promise<LoopEnd>,
    options: ResumableWorkerOptions,
    private readonly logger: Logger,
  ) {
    this.worker = new Worker<Data>(
      queueName,
      async (job, token) => {
        const end = await loop(job, this.shutdown.signal);
        if (typeof end === "string") return end;
        if (token) await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: options.lockMs,
        stalledInterval: options.lockMs,
        // Every crash of a worker counts as a stall; a long job survives many.
        maxStalledCount: 20,
        autorun: false,
      },
    );
    // Every running loop listens to this one signal: hundreds of listeners are expected.
    setMaxListeners(0, this.shutdown.signal);
    this.worker.on("error", (error) => logger.error({ err: error, queueName }, "worker error"));
    this.worker.on("failed", (job, error) =>
      logger.error(
        { err: error, queueName, jobId: job?.id, attemptsMade: job?.attemptsMade },
        "job failed",
      ),
    );
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
