import type { Transformer } from "grammy";
import type { Redis } from "ioredis";
import { type RateLimit, reserveSlot } from "../../shared/gcra.js";
import { sleep } from "../../shared/time.js";

/**
 * Calls that Telegram counts against its flood limits: sends and edits alike. Past a limit every
 * call draws a 429 with a retry_after (up to a minute in a group), and a QR (alive ~20 s) that
 * waits that long is a QR the operator never sees.
 */
const PACED_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendMediaGroup",
  "copyMessage",
  "forwardMessage",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
]);

export interface ChatPacerOptions {
  prefix: string;
  /** Sends per second for the whole bot, every chat together (Telegram: about 30); 0: not paced. */
  botPerSecond: number;
  /** Sends per minute in a group, supergroup or channel (negative chat id); 0: not paced. */
  groupPerMinute: number;
  /** Sends per second in a private chat; 0: not paced. */
  privatePerSecond: number;
  /** A slot further away than this is not waited for: the call goes out and Telegram decides. */
  maxWaitMs?: number;
}

/** Longest a call waits for its turn; bounded so that shutdown and replies never hang. */
const DEFAULT_MAX_WAIT_MS = 20_000;

/**
 * Set (as a symbol key, which Telegram never sees) in the options of a call worth making only
 * soon, a QR rotation's edit: its value is how long the call may wait for the bot's slot once its
 * chat's turn has come. None that soon: the call is not made (NoTurnError) and the session sends
 * whatever QR is newest at its next poll.
 */
export const WITHIN_MS: unique symbol = Symbol("greenlight.withinMs");

/** A call marked WITHIN_MS found no slot of the bot's budget in time; it was not made. */
export class NoTurnError extends Error {
  constructor() {
    super("no slot of the bot's send budget in time");
    this.name = "NoTurnError";
  }
}

/**
 * Keeps every process of the bot under Telegram's flood limits, in Redis: each send or edit first
 * waits for its chat's next free slot, then for the bot's (GCRA, first come first served). Replies, QR edits, final cards and alerts share these budgets,
 * as they do at Telegram.
 */
export class ChatPacer {
  private readonly bot?: RateLimit;
  private readonly group?: RateLimit;
  private readonly private?: RateLimit;

  constructor(
    private readonly redis: Redis,
    private readonly options: ChatPacerOptions,
  ) {
    // Telegram counts the bot's sends in a sliding second and a group's in a sliding minute: no
    // burst, so that no window ever holds more than the rate.
    if (options.botPerSecond > 0) this.bot = { intervalMs: 1000 / options.botPerSecond, burst: 1 };
    if (options.groupPerMinute > 0)
      this.group = { intervalMs: 60_000 / options.groupPerMinute, burst: 1 };
    // Telegram tolerates short bursts in a private chat; two back to back, then one a second.
    if (options.privatePerSecond > 0)
      this.private = { intervalMs: 1000 / options.privatePerSecond, burst: 2 };
  }

  /**
   * Waits for the next slot to send to `chatId`: the chat's first, then the bot's, right before the
   * call. In that order a group that must wait several seconds for its turn holds up nobody else
   * (booking the bot's slot that far ahead would hold up every chat), and the call reaches
   * Telegram in the bot's slot it booked, not seconds after it among later ones: a slot booked
   * before a wait is a slot the bot overshoots in (0.2.0's QR edits took theirs before rendering
   * and before their chat's turn: 11 flood 429s in a soak).
   *
   * `withinMs`: the bot's slot is worth waiting for only this long; false when it is further
   * away (nothing booked then). Never throws: with Redis unreachable the call goes out at once.
   */
  async waitTurn(chatId: number, signal?: AbortSignal, withinMs?: number): Promise<boolean> {
    const { prefix } = this.options;
    const chat = chatId < 0 ? this.group : this.private;
    if (chat) await this.wait(`${prefix}:chat-pace:${chatId}`, chat, signal);
    if (!this.bot || signal?.aborted) return true;
    return this.waitForBotSlot(`${prefix}:bot-pace`, this.bot, signal, withinMs);
  }

  private async wait(
    key: string,
    limit: RateLimit,
    signal?: AbortSignal,
    maxWaitMs = this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
  ): Promise<boolean> {
    const waitMs = await reserveSlot(this.redis, key, limit, maxWaitMs).catch(() => 0);
    if (waitMs < 0) return false;
    if (waitMs > 0) await sleep(waitMs, signal);
    return true;
  }

  /**
   * The bot's slot, kept to: a call that wakes more than LATE_REBOOK_MS after its slot (a busy
   * event loop held its timer, or Redis's answer) books a new one instead of going out late,
   * because late calls bunch with the on-time calls of the slots after theirs and Telegram, which
   * counts arrivals in a sliding second, answers the extras with flood 429s (the 32 of a 10-minute
   * soak). A slot left empty costs a thirtieth of a second; a 429 costs its session a second.
   */
  private async waitForBotSlot(
    key: string,
    limit: RateLimit,
    signal: AbortSignal | undefined,
    withinMs: number | undefined,
  ): Promise<boolean> {
    const maxWaitMs = withinMs ?? this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    const started = Date.now();
    for (let booking = 1; ; booking++) {
      const asked = Date.now();
      const left = Math.max(0, maxWaitMs - (asked - started));
      // Redis unreachable: the call goes out at once (pacing is a courtesy, not a gate).
      const waitMs = await reserveSlot(this.redis, key, limit, left).catch(() => undefined);
      if (waitMs === undefined) return true;
      if (waitMs < 0) return false;
      if (waitMs > 0) await sleep(waitMs, signal);
      // The slot began no earlier than `asked + waitMs` (Redis booked it after we asked).
      const lateMs = Date.now() - (asked + waitMs);
      if (lateMs <= LATE_REBOOK_MS || booking >= MAX_BOOKINGS || signal?.aborted) return true;
    }
  }
}

/** Later than this after its bot slot, a call books a new one (the bot's 28/s leave ~70 ms). */
const LATE_REBOOK_MS = 40;
/** A call books at most this many bot slots, then goes out, late or not. */
const MAX_BOOKINGS = 3;

/**
 * A grammY transformer that paces the calls above. Install it before auto-retry (the last
 * installed runs first), so that every retry waits for a slot too.
 */
export function paceChats(pacer: ChatPacer): Transformer {
  return async (prev, method, payload, signal) => {
    const call = payload as { chat_id?: unknown; [WITHIN_MS]?: number } | undefined;
    const chatId = call?.chat_id;
    if (PACED_METHODS.has(method) && typeof chatId === "number") {
      // grammY types its signal with its own AbortSignal shim; at run time it is Node's.
      const turn = await pacer.waitTurn(
        chatId,
        signal as AbortSignal | undefined,
        call?.[WITHIN_MS],
      );
      if (!turn) throw new NoTurnError();
    }
    return prev(method, payload, signal);
  };
}
