import type { Logger } from "../shared/logger.js";

/**
 * Asks for watch apply runs on behalf of one process: at most one request per window reaches
 * BullMQ, however many observations come (a shard job's, or 500 webhooks a second), and a request
 * skipped within the window is made at its end (trailing), so every observation pushed to the
 * inbox is followed by a request made after it, and so by an apply run that drains it.
 *
 * Why this suffices: `requestApply` adds a job delayed by the window with a deduplication TTL of
 * the same window, so any add, merged or not, means a run starting no earlier than that add.
 */
export class ApplyRequests {
  private lastAt = Number.NEGATIVE_INFINITY;
  private trailing?: NodeJS.Timeout;

  constructor(
    private readonly add: () => Promise<void>,
    private readonly windowMs: number,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the request is made, or deferred to the end of the window. */
  async request(): Promise<void> {
    const now = Date.now();
    const wait = this.lastAt + this.windowMs - now;
    if (wait <= 0) {
      this.lastAt = now;
      await this.add();
      return;
    }
    this.trailing ??= setTimeout(() => {
      this.trailing = undefined;
      this.request().catch((error: unknown) => {
        // The inbox keeps the observations: the next request (a shard's, at the latest) drains them.
        this.logger.warn({ err: error }, "could not ask for a watch run");
      });
    }, wait);
  }

  /** Shutting down: a deferred request is made now rather than dropped. */
  async flush(): Promise<void> {
    if (!this.trailing) return;
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastAt = Date.now();
    await this.add().catch(() => undefined);
  }
}
