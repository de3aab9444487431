import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Job } from "bullmq";
import type { Logger } from "../shared/logger.js";
import { JobWorker, type JobWorkerOptions, type LoopEnd } from "../jobs/job-worker.js";
import { localeOf } from "../shared/locale.js";
import type { QrScreen } from "./ports.js";
import { QR_JOB_ATTEMPTS, type QrJob, qrJobs } from "./qr-queue.js";
import type { SessionRunner } from "./session-runner.js";
import type { SessionStore } from "./session-store.js";

export type QrWorkerOptions = JobWorkerOptions & { lockMs: number };

/** Poller ids kept for jobs that may come back here; past this many the oldest are forgotten. */
const MAX_REMEMBERED_POLLERS = 10_000;

/**
 * Which poller id a run of a job uses. A job that comes back to this process after its run here
 * ended (a Redis blip failed it, its lease was lost) gets the same id, so it takes its own lease
 * at once instead of waiting it out. A copy of a job whose run here still goes on (BullMQ thought
 * it stalled) gets a new one: the lease keeps the two apart.
 */
export class PollerIds {
  private readonly ids = new Map<string, { id: string; running: boolean }>();
  private readonly prefix = `${hostname()}:${process.pid}`;

  begin(jobId: string): string {
    const known = this.ids.get(jobId);
    if (known?.running) return this.fresh();
    const id = known?.id ?? this.fresh();
    this.ids.delete(jobId);
    this.ids.set(jobId, { id, running: true });
    if (this.ids.size > MAX_REMEMBERED_POLLERS) {
      for (const [oldest, entry] of this.ids) {
        if (!entry.running) {
          this.ids.delete(oldest);
          break;
        }
      }
    }
    return id;
  }

  /** The run that took this id ended; `final`: the session is over, the job will not return. */
  end(jobId: string, id: string, final: boolean): void {
    const known = this.ids.get(jobId);
    if (known?.id !== id) return;
    if (final) this.ids.delete(jobId);
    else known.running = false;
  }

  private fresh(): string {
    return `${this.prefix}:${randomUUID().slice(0, 8)}`;
  }
}

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

  private readonly pollers = new PollerIds();

  private async runSession(data: QrJob, job: Job<QrJob>, signal: AbortSignal): Promise<LoopEnd> {
    const { instance, sessionId } = data;
    const jobId = job.id ?? `${instance}-${sessionId}`;
    const pollerId = this.pollers.begin(jobId);
    // Which process polls which instance: what an operator looks for after a crash or a stall.
    this.deps.logger.info(
      { instance, sessionId, attemptsMade: job.attemptsMade, pid: process.pid, pollerId },
      "QR session running here",
    );
    let final = false;
    try {
      const outcome = await this.deps.runner.run(instance, sessionId, pollerId, signal);
      final = outcome.kind !== "suspended";
      return outcome.kind === "suspended" ? { suspended: true } : outcome.kind;
    } catch (error) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? QR_JOB_ATTEMPTS);
      if (lastAttempt) await this.giveUp(instance, sessionId);
      final = lastAttempt;
      throw error;
    } finally {
      this.pollers.end(jobId, pollerId, final);
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
