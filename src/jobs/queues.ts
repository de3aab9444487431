import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../shared/logger.js";
import { type JobKind, openQueue } from "./job-kind.js";

/**
 * The one owner of a process's BullMQ queues (like BullMQ's own QueueBase owns its connection):
 * each queue is opened once, on first use, on one connection, and `close` ends them all. The
 * parts (bot, HTTP, watcher) ask it for a queue instead of opening their own.
 */
export class Queues {
  private readonly open = new Map<string, Queue>();

  constructor(
    /** Shared by every queue; its "ready" tells a part that Redis came back (see StateWatcher). */
    readonly connection: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  of<Data>(kind: JobKind<Data>): Queue<Data> {
    const existing = this.open.get(kind.queueName);
    if (existing) return existing as unknown as Queue<Data>;
    const queue = openQueue(kind, this.connection, this.prefix);
    queue.on("error", (error) =>
      this.logger.warn({ err: error, queue: kind.queueName }, "queue error"),
    );
    this.open.set(kind.queueName, queue as unknown as Queue);
    return queue;
  }

  async close(): Promise<void> {
    const queues = [...this.open.values()];
    this.open.clear();
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
  }
}
