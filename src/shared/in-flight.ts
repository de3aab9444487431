import { setTimeout as sleep } from "node:timers/promises";

/**
 * Counts work in progress (the bot's update handlers) so a shutdown can let it finish before the
 * connections it uses are closed, for at most a bounded time.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves true when everything in flight settled, false if `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    const settled = Promise.allSettled([...this.running]).then(() => true);
    const timedOut = sleep(timeoutMs, false, { ref: false });
    return Promise.race([settled, timedOut]);
  }
}
