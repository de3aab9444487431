import type { Renewal, SessionStore } from "./session-store.js";

/**
 * A running session's lease, as its poller sees it. Each tick's heartbeat renews it; a timer
 * renews it in between whenever a tick runs long (a GREEN-API call hanging up to its timeout, a
 * backoff), so a live poller never loses it however short the lease. Before each GREEN-API qr call
 * and each edit the poller asks `check()`: answered from memory while the last renewal is recent,
 * from Redis once it is old. A poller frozen past its lease (SIGSTOP, a stalled VM) wakes with an
 * old renewal: its first check goes to Redis, which refuses (compare-and-set), and it stops
 * before acting. A refusal also aborts `signal`, ending any wait or request in flight.
 */
export class LeaseGuard {
  /** Renewed at least this often (a third of the lease): two renewals may fail before it lapses. */
  private readonly renewEveryMs: number;
  /** Checks are answered from memory until this long after the last renewal started. */
  private readonly trustMs: number;
  private renewedAt: number | undefined;
  private lostAs: Exclude<Renewal, "held"> | undefined;
  private renewing: Promise<Renewal> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly lost = new AbortController();

  constructor(
    private readonly store: SessionStore,
    private readonly instance: string,
    private readonly sessionId: string,
    /** The holder's id in Redis: host, pid and a random part (who polls what, for operators). */
    readonly pollerId: string,
    leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.renewEveryMs = Math.floor(leaseMs / 3);
    // A renewal sets the lease to last leaseMs from when Redis ran it, after this side sent it:
    // two thirds of that, counted from the send, leaves a third for clock skew and latency.
    this.trustMs = Math.floor((2 * leaseMs) / 3);
  }

  /** Aborted once the lease is known to be lost (or the session gone). */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  /** Whether this poller has held the lease in this run (a heartbeat then only renews it). */
  get everHeld(): boolean {
    return this.renewedAt !== undefined;
  }

  /** How the lease was lost, once it was. */
  get lostStatus(): "lost" | "gone" | undefined {
    return this.lostAs;
  }

  /** A heartbeat sent at `sentAt` held the lease: starts (or goes on) renewing it in between. */
  held(sentAt: number): void {
    this.renewedAt = Math.max(this.renewedAt ?? sentAt, sentAt);
    // Ticks renew it every poll interval; the timer only acts when one runs long. A failed
    // renewal (Redis away) is tried again next time; check() decides once the lease is old.
    this.timer ??= setInterval(
      () => void this.renewIfDue().catch(() => undefined),
      Math.max(100, Math.floor(this.renewEveryMs / 2)),
    ).unref();
  }

  /** The heartbeat said the lease is lost or the session gone. */
  markLost(status: "lost" | "gone"): void {
    this.lostAs ??= status;
    this.stop();
    this.lost.abort();
  }

  /**
   * Whether this poller still holds the lease, right before acting on the session. Throws while
   * Redis is unreachable and the last renewal is too old to trust (the runner's error path).
   */
  async check(): Promise<Renewal> {
    if (this.lostAs) return this.lostAs;
    if (this.renewedAt !== undefined && this.now() - this.renewedAt < this.trustMs) return "held";
    return this.renew();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renewIfDue(): Promise<void> {
    if (this.lostAs || this.renewedAt === undefined) return;
    if (this.now() - this.renewedAt < this.renewEveryMs) return;
    await this.renew();
  }

  /** One renewal at a time: the timer and a check may both want one. */
  private renew(): Promise<Renewal> {
    this.renewing ??= (async () => {
      const sentAt = this.now();
      try {
        const renewal = await this.store.renew(
          this.instance,
          this.sessionId,
          this.pollerId,
          sentAt,
        );
        if (renewal === "held") this.renewedAt = Math.max(this.renewedAt ?? sentAt, sentAt);
        else this.markLost(renewal);
        return renewal;
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }
}
