import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import type { Logger } from "../shared/logger.js";
import { JobWorker, type JobWorkerOptions, type LoopEnd } from "../jobs/job-worker.js";
import { localeOf } from "../shared/locale.js";
import type { QrScreen } from "./ports.js";
import { QR_JOB_ATTEMPTS, type QrJob, qrJobs } from "./qr-queue.js";
import type { SessionRunner } from "./session-runner.js";
import type { SessionStore } from "./session-store.js";

export type QrWorkerOptions = JobWorkerOptions & { lockMs: number };

/**
 * The worker that runs QR sessions. On stop every running session suspends and is handed back to
 * the queue (see JobWorker); a session that fails for good says so on its message.
 */
export class QrWorker extends JobWorker<QrJob> {
  constructor(
    private readonly deps: {
      runner: SessionRunner;
      store: SessionStore;
      screen: QrScreen;
      logger: Logger;
    },
    options: QrWorkerOptions,
  ) {
    super(qrJobs, (data, signal, job) => this.runSession(data, job, signal), options, deps.logger);
  }

  private async runSession(data: QrJob, job: Job<QrJob>, signal: AbortSignal): Promise<LoopEnd> {
    const { instance, sessionId } = data;
    // Which process polls which instance: what an operator looks for after a crash or a stall.
    this.deps.logger.info(
      { instance, sessionId, attemptsMade: job.attemptsMade, pid: process.pid },
      "QR session running here",
    );
    try {
      const outcome = await this.deps.runner.run(instance, sessionId, randomUUID(), signal);
      return outcome.kind === "suspended" ? { suspended: true } : outcome.kind;
    } catch (error) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? QR_JOB_ATTEMPTS);
      if (lastAttempt) await this.giveUp(instance, sessionId);
      throw error;
    }
  }

  /** Never leave a stale QR on screen: an unrecoverable session says so and offers a new one. */
  private async giveUp(instance: string, sessionId: string): Promise<void> {
    const record = await this.deps.store.get(instance).catch(() => undefined);
    if (record?.sessionId !== sessionId) return;
    await this.deps.screen.showEnd(record, instance, { kind: "failed" }, localeOf(record.locale));
    await this.deps.store.finish(instance, sessionId);
  }
}
