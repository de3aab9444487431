/**
 * At most one reply per user per `intervalMs`, for people who are not on the team: a flood of
 * strangers must not spend the bot's Telegram send budget (about 30 messages a second, shared
 * with the live QR codes). In memory, per bot process, and bounded: the oldest users are forgotten
 * first, which at worst lets a forgotten stranger have one more reply.
 */
export class ReplyCooldown {
  private readonly lastReply = new Map<number, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxUsers = 10_000,
  ) {}

  /** True (and the reply counted) when this user may get a reply now. */
  take(userId: number, now = Date.now()): boolean {
    const last = this.lastReply.get(userId);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastReply.delete(userId);
    this.lastReply.set(userId, now);
    if (this.lastReply.size > this.maxUsers) {
      const oldest = this.lastReply.keys().next().value;
      if (oldest !== undefined) this.lastReply.delete(oldest);
    }
    return true;
  }
}
