import { z } from "zod";

/**
 * One QR session per instance lives in Redis as a hash: where its message is, who started it,
 * how far it got. It is the single source of truth a resumed worker needs after a crash, and the
 * place the bot process writes to cancel or move a session that another process polls.
 */
const optionalNumber = z.coerce.number().int().optional();

export const sessionRecordSchema = z.object({
  sessionId: z.string().min(1),
  instance: z.string().min(1),
  startedBy: z.coerce.number().int(),
  startedAt: z.coerce.number().int(),
  deadline: z.coerce.number().int(),
  /** Where the live message is; a fresh /qr elsewhere moves it. */
  chatId: z.coerce.number().int(),
  messageId: z.coerce.number().int(),
  /** Which QR (hash) was last put on which message: a resumed worker edits only when it differs. */
  renderedHash: z.string().optional(),
  renderedMessageId: optionalNumber,
  /** Its chat: message ids count per chat, so a session moved to another chat may reuse one. */
  renderedChatId: optionalNumber,
  /** When the operator first saw a QR: `alreadyLogged` after that means they scanned it. */
  qrShownAt: optionalNumber,
  /** Right after a logout GREEN-API may still answer as before: until then such answers are not final. */
  graceUntil: optionalNumber,
  cancelledBy: optionalNumber,
  /** Language of the operator who started it: captions and buttons follow it. */
  locale: z.string().optional(),
  lastBeat: optionalNumber,
  /** How long the QR is offered once a poller starts (QR_TIMEOUT_MS); the deadline counts from then. */
  lifetimeMs: optionalNumber,
  /** When a poller first took it up; absent while it waits in the queue for a free slot. */
  runningSince: optionalNumber,
  /** Set when it had to queue: until then it stays claimed without a poller's heartbeat. */
  queuedUntil: optionalNumber,
  /**
   * The message ("chatId/messageId": ids count per chat) that shows "waiting its turn in this
   * chat", so the notice is put up only once.
   */
  chatQueuedOn: z.string().optional(),
});

export type SessionRecord = z.infer<typeof sessionRecordSchema>;

export type NewSession = Pick<
  SessionRecord,
  "sessionId" | "instance" | "startedBy" | "startedAt" | "deadline" | "chatId" | "messageId"
> & { graceUntil?: number; locale?: string; lifetimeMs?: number };

export function parseSessionRecord(hash: Record<string, string>): SessionRecord | undefined {
  if (!hash.sessionId) return undefined;
  const result = sessionRecordSchema.safeParse(hash);
  return result.success ? result.data : undefined;
}

export function toHashFields(fields: Partial<SessionRecord>): string[] {
  return Object.entries(fields).flatMap(([key, value]) =>
    value === undefined ? [] : [key, String(value)],
  );
}

/** Flat HGETALL-style reply ([k, v, k, v…]) to an object. */
export function pairsToObject(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) out[pairs[i] as string] = pairs[i + 1] as string;
  return out;
}

/** A message's key across chats (Telegram numbers messages per chat). */
export const messageKey = (ref: { chatId: number; messageId: number }) =>
  `${ref.chatId}/${ref.messageId}`;
