/**
 * What the webhook ingest reports (Metrics implements it): the queue's depth as it changes, and
 * notifications that were acknowledged but never handed on (shutdown timeout).
 */
export interface IngestMetrics {
  webhookQueueDepth(depth: number): void;
  webhookDropped(reason: "shutdown", count: number): void;
}

export interface WebhookIngestOptions {
  /** Notifications held at most; an offer beyond it is refused (the caller answers 503). */
  capacity: number;
  /** Hand-overs running at once (each is a Redis write). */
  concurrency: number;
  /** A task that threw (tasks are expected to catch and log their own failures). */
  onError: (error: unknown) => void;
  metrics: IngestMetrics;
}

/**
 * The webhook's back office: GREEN-API gets its 200 as soon as a notification is judged, and the
 * hand-over to Redis happens here, a bounded FIFO drained by a few tasks at a time. Bounded,
 * because a burst must not grow memory without end; full, it refuses, so the HTTP side answers
 * 503 and GREEN-API keeps the notification and sends it again (it would otherwise be lost).
 */
export class WebhookIngest {
  private readonly queue: Array<{ task: () => Promise<void>; key: string }> = [];
  /**
   * The last task started per key (an instance): the next one of that key waits for it, since
   * GREEN-API sends an instance's notifications in order and the watcher must see them so.
   */
  private readonly tails = new Map<string, Promise<void>>();
  /** Index of the next task in `queue`: shifting a 10,000-item array per task would be O(n²). */
  private head = 0;
  private running = 0;
  private closed = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly options: WebhookIngestOptions) {
    if (options.capacity < 1 || options.concurrency < 1) {
      throw new RangeError("capacity and concurrency must be at least 1");
    }
  }

  /** Notifications waiting (not yet started). */
  get depth(): number {
    return this.queue.length - this.head;
  }

  /** Whether an offer now would be taken. */
  get hasRoom(): boolean {
    return !this.closed && this.depth < this.options.capacity;
  }

  /**
   * Queues a task; false when full or shutting down (nothing was kept). Tasks of one key run one
   * after another in the order offered; tasks of different keys run side by side.
   */
  offer(key: string, task: () => Promise<void>): boolean {
    if (this.closed || this.depth >= this.options.capacity) return false;
    this.queue.push({ task, key });
    this.options.metrics.webhookQueueDepth(this.depth);
    this.pump();
    return true;
  }

  /**
   * Stops taking notifications and waits for the queued ones to be handed on, up to timeoutMs;
   * what is left then is dropped and counted (polling is the safety net). Resolves with that
   * count.
   */
  async drain(timeoutMs: number): Promise<number> {
    this.closed = true;
    if (!this.isIdle()) {
      let timer: NodeJS.Timeout | undefined;
      let waiter: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        waiter = resolve;
        this.idleWaiters.add(resolve);
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      if (waiter) this.idleWaiters.delete(waiter);
    }
    const left = this.depth;
    // Tasks already running finish on their own; the waiting ones are never started.
    this.queue.length = 0;
    this.head = 0;
    if (left > 0) this.options.metrics.webhookDropped("shutdown", left);
    this.options.metrics.webhookQueueDepth(0);
    return left;
  }

  private isIdle(): boolean {
    return this.depth === 0 && this.running === 0;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.depth > 0) {
      const next = this.queue[this.head] as { task: () => Promise<void>; key: string };
      this.head += 1;
      // Compact now and then so the array does not keep every task ever queued.
      if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.running += 1;
      this.options.metrics.webhookQueueDepth(this.depth);
      void this.run(next.task, next.key);
    }
  }

  private async run(task: () => Promise<void>, key: string): Promise<void> {
    const before = this.tails.get(key);
    const done = (async () => {
      // `before` never rejects (its errors are caught below), so the order holds on failures.
      if (before) await before;
      try {
        await task();
      } catch (error) {
        this.options.onError(error);
      }
    })();
    this.tails.set(key, done);
    try {
      await done;
    } finally {
      if (this.tails.get(key) === done) this.tails.delete(key);
      this.running -= 1;
      if (this.closed && this.depth === 0 && this.running === 0) {
        for (const resolve of this.idleWaiters) resolve();
      }
      this.pump();
    }
  }
}
