import type { Redis } from "ioredis";
import {
  type ConfirmDecision,
  type ConfirmPress,
  decideConfirmation,
  decodePending,
  encodePending,
  type PendingConfirmation,
} from "./confirmation.js";

export interface MessageAddress {
  chatId: number;
  messageId: number;
}

/** How long "already done" is remembered after a Yes counted (a double tap, a late second tap). */
const DONE_KEPT_MS = 24 * 60 * 60_000;

/**
 * Confirmations in Redis, one per message: `arm` when the question is shown, `take` on Yes,
 * `withdraw` on No. Taking is atomic (SET NX), so two presses at once, from two processes too,
 * count once.
 */
export class ConfirmationStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; ttlMs: number },
  ) {}

  private key(message: MessageAddress): string {
    return `${this.options.prefix}:confirm:${message.chatId}:${message.messageId}`;
  }

  /** Arms (or re-arms) the message for this user, action and instance. */
  async arm(message: MessageAddress, pending: PendingConfirmation): Promise<void> {
    const key = this.key(message);
    await this.redis
      .multi()
      .set(key, encodePending(pending), "PX", this.options.ttlMs)
      .del(`${key}:done`)
      .exec();
  }

  async take(message: MessageAddress, press: ConfirmPress): Promise<ConfirmDecision> {
    const key = this.key(message);
    const [pending, done] = await this.redis.mget(key, `${key}:done`);
    const decision = decideConfirmation(decodePending(pending), done !== null, press);
    if (decision !== "confirmed") return decision;
    const won = await this.redis.set(`${key}:done`, String(press.userId), "PX", DONE_KEPT_MS, "NX");
    if (won === null) return "already-done";
    await this.redis.del(key);
    return "confirmed";
  }

  /** "No": only the asker can withdraw, whichever action the message asks about. */
  async withdraw(message: MessageAddress, userId: number): Promise<ConfirmDecision> {
    const key = this.key(message);
    const [raw, done] = await this.redis.mget(key, `${key}:done`);
    const pending = decodePending(raw);
    const press = pending ? { ...pending, userId } : { action: "", instance: "", userId };
    const decision = decideConfirmation(pending, done !== null, press);
    if (decision === "confirmed") await this.redis.del(key);
    return decision;
  }
}
