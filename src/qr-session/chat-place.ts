import type { ChatLine } from "./ports.js";
import type { SessionRecord } from "./session-record.js";

/**
 * The session's place among its chat's live QRs (a ChatLine: telegram/pacing/chat-slots.ts),
 * following it when it moves. Its own file because it keeps state of its own across ticks (the
 * chat held and since when), apart from the runner's loop.
 */
export class ChatPlace {
  private chatId: number | undefined;
  /** When the live place was last renewed; a waiting session asks again every tick. */
  private liveSince: number | undefined;

  constructor(
    private readonly slots: ChatLine | undefined,
    private readonly sessionId: string,
    private readonly ttlMs: number,
  ) {}

  /** 0 when the session may show QRs in its chat now, else its place in the chat's line. */
  async hold(record: SessionRecord, now = Date.now()): Promise<number> {
    if (!this.slots) return 0;
    if (this.chatId !== undefined && this.chatId !== record.chatId) await this.release();
    // A live place lasts ttlMs: renewing it a few times per ttl, not on every poll, is enough.
    if (this.liveSince !== undefined && now - this.liveSince < this.ttlMs / 4) return 0;
    this.chatId = record.chatId;
    // A session already showing QRs keeps going where it was moved to, full chat or not.
    const force = record.runningSince !== undefined;
    const place = await this.slots.hold(record.chatId, this.sessionId, this.ttlMs, { force, now });
    this.liveSince = place === 0 ? now : undefined;
    return place;
  }

  async release(): Promise<void> {
    if (!this.slots || this.chatId === undefined) return;
    await this.slots.release(this.chatId, this.sessionId);
    this.chatId = undefined;
    this.liveSince = undefined;
  }
}
