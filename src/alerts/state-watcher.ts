import type { ConnectionOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { stateInstanceSchema } from "../green-api/schemas.js";
import { defineJobKind } from "../jobs/job-kind.js";
import { JobWorker } from "../jobs/job-worker.js";
import type { Logger } from "../shared/logger.js";
import type { Alerter } from "./alerter.js";

export const WATCH_QUEUE_NAME = "state-watch";
const SCHEDULER_ID = "state-watch-poll";

export const watchJobSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("poll") }),
  z.object({
    kind: z.literal("webhook"),
    instance: z.string().min(1),
    state: stateInstanceSchema,
    at: z.number().int(),
  }),
]);
export type WatchJob = z.infer<typeof watchJobSchema>;

/**
 * The watcher's queue: the scheduler's poll jobs and the webhook's jobs share it, and a global
 * concurrency of 1 makes them run one at a time across every worker process, so the watch
 * records never see two writers.
 */
export const watchJobs = defineJobKind<WatchJob>({
  queueName: WATCH_QUEUE_NAME,
  schema: watchJobSchema,
  defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});

/** A webhook's state change, to be handled by the watcher (the HTTP answer does not wait). */
export async function enqueueWebhookState(
  queue: Queue<WatchJob>,
  job: Extract<WatchJob, { kind: "webhook" }>,
): Promise<void> {
  await queue.add("webhook", job, { attempts: 3, backoff: { type: "fixed", delay: 500 } });
}

export interface StateWatcherOptions {
  /** For the Worker (BullMQ blocks on it). */
  workerConnection: ConnectionOptions;
  /** The process's watch queue (from `Queues`), and the connection it is on. */
  queue: Queue<WatchJob>;
  /** Its 'ready' re-creates the scheduler in case Redis came back empty. */
  queueConnection: Redis;
  prefix: string;
  intervalMs: number;
  /** Per getStateInstance call. */
  checkTimeoutMs: number;
}

/**
 * Runs the Alerter every `intervalMs` through a BullMQ job scheduler: exactly one run per
 * interval however many worker processes there are, and it survives restarts (the scheduler
 * lives in Redis). Each process with the worker role runs one of these.
 */
export class StateWatcher {
  private readonly worker: JobWorker<WatchJob>;
  private readonly onReady = () => void this.ensureScheduler();

  constructor(
    private readonly deps: { alerter: Alerter; logger: Logger },
    private readonly options: StateWatcherOptions,
  ) {
    this.worker = new JobWorker(
      watchJobs,
      (data, signal) => this.process(data, signal),
      { connection: options.workerConnection, prefix: options.prefix, concurrency: 1 },
      deps.logger,
    );
  }

  async start(): Promise<void> {
    this.worker.start();
    await this.worker.waitUntilReady();
    await this.ensureScheduler();
    this.options.queueConnection.on("ready", this.onReady);
  }

  async stop(): Promise<void> {
    this.options.queueConnection.off("ready", this.onReady);
    await this.worker.stop();
  }

  /** Idempotent: every worker process calls it at start and after each Redis reconnect. */
  private async ensureScheduler(): Promise<void> {
    try {
      await this.options.queue.setGlobalConcurrency(1);
      await this.options.queue.upsertJobScheduler(
        SCHEDULER_ID,
        { every: this.options.intervalMs },
        { name: "poll", data: { kind: "poll" } },
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, "could not set up the state watch schedule");
    }
  }

  private async process(data: WatchJob, signal: AbortSignal): Promise<void> {
    if (data.kind === "poll") {
      await this.deps.alerter.poll({ timeoutMs: this.options.checkTimeoutMs, signal });
    } else {
      await this.deps.alerter.webhook(data.instance, data.state, data.at);
    }
  }
}
