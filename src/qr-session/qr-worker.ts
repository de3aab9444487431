import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { type ConnectionOptions, DelayedError, type Job, Worker } from "bullmq";
import type { Logger } from "../shared/logger.js";
import { textsFor } from "../telegram/i18n/index.js";
import type { SessionScreen } from "../telegram/session-screen.js";
import { QR_JOB_ATTEMPTS, QR_QUEUE_NAME, type QrJob, qrJobSchema } from "./qr-queue.js";
import type { SessionRunner } from "./session-runner.js";
import type { SessionStore } from "./session-store.js";

export interface QrWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** BullMQ lock: after a crash, the session is picked up again within about twice this. */
  lockMs: number;
}

/**
 * The BullMQ worker that runs QR sessions. On stop it asks every running session to suspend: each
 * moves its job back to the queue, so the next worker (this one restarted, or another) resumes it
 * at once instead of after a stall timeout.
 */
export class QrWorker {
  private readonly worker: Worker<QrJob>;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly deps: {
      runner: SessionRunner;
      store: SessionStore;
      screen: SessionScreen;
      logger: Logger;
    },
    options: QrWorkerOptions,
  ) {
    this.worker = new Worker<QrJob>(QR_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // Every crash of a worker counts as a stall; a session survives many.
      maxStalledCount: 20,
      autorun: false,
    });
    // Every running session listens to this one signal: hundreds of listeners are expected.
    setMaxListeners(0, this.shutdown.signal);
    this.worker.on("error", (error) => deps.logger.error({ err: error }, "QR worker error"));
    this.worker.on("failed", (job, error) =>
      deps.logger.error(
        { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
        "QR session job failed",
      ),
    );
  }

  start(): void {
    void this.worker
      .run()
      .catch((error) => this.deps.logger.error({ err: error }, "QR worker stopped"));
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.worker.close();
  }

  private async process(job: Job<QrJob>, token?: string): Promise<string> {
    const { instance, sessionId } = qrJobSchema.parse(job.data);
    // Which process polls which instance: what an operator looks for after a crash or a stall.
    this.deps.logger.info(
      { instance, sessionId, attemptsMade: job.attemptsMade, pid: process.pid },
      "QR session running here",
    );
    try {
      const outcome = await this.deps.runner.run(
        instance,
        sessionId,
        randomUUID(),
        this.shutdown.signal,
      );
      if (outcome.kind === "suspended" && token) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      return outcome.kind;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? QR_JOB_ATTEMPTS);
      if (lastAttempt) await this.giveUp(instance, sessionId);
      throw error;
    }
  }

  /** Never leave a stale QR on screen: an unrecoverable session says so and offers a new one. */
  private async giveUp(instance: string, sessionId: string): Promise<void> {
    const record = await this.deps.store.get(instance).catch(() => undefined);
    if (record?.sessionId !== sessionId) return;
    await this.deps.screen.showEnd(record, instance, { kind: "failed" }, textsFor(record.locale));
    await this.deps.store.finish(instance, sessionId);
  }
}
