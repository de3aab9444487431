import { type ConnectionOptions, type JobsOptions, Queue } from "bullmq";
import type { z } from "zod";

/**
 * One kind of BullMQ job: its queue's name, the schema its data is checked with when a worker
 * takes it, and the options every job of the queue gets. A feature core declares its kinds next
 * to itself (qr-queue.ts, pairing-queue.ts, alerts/state-watcher.ts); `Queues` opens them and a
 * `JobWorker` runs them, so a queue has one definition, one owner and one worker pattern.
 */
export interface JobKind<Data> {
  readonly queueName: string;
  readonly schema: z.ZodType<Data>;
  readonly defaultJobOptions: JobsOptions;
}

export function defineJobKind<Data>(kind: JobKind<Data>): JobKind<Data> {
  return kind;
}

/** A queue of this kind. Prefer `Queues.open`, which opens each queue once per process. */
export function openQueue<Data>(
  kind: JobKind<Data>,
  connection: ConnectionOptions,
  prefix: string,
): Queue<Data> {
  return new Queue<Data>(kind.queueName, {
    connection,
    prefix,
    defaultJobOptions: kind.defaultJobOptions,
  });
}
