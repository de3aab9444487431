import { performance } from "node:perf_hooks";
import { localeOf } from "../shared/locale.js";
import type { ChatLine, QrBroadcast, QrCounters, QrScreen, ScreenOutcome } from "./ports.js";
import type { SeenQr } from "./qr-poll.js";
import type { Observation } from "./session-machine.js";
import { messageKey, type SessionRecord } from "./session-record.js";
import type { SessionStore } from "./session-store.js";

/**
 * The edits a running QR session makes to its one photo message: the newest QR, and the "waiting
 * its turn in this chat" card. Each reports back what Telegram made of it, as the machine
 * observes it; the final card is session-close.ts's.
 */

/** A "waiting its turn in this chat" notice that did not get through is tried again this often. */
const LINE_CARD_RETRY_MS = 10_000;

export interface ScreenEditDeps {
  screen: QrScreen;
  store: SessionStore;
  chatSlots?: ChatLine;
  counters?: QrCounters;
  /** The link page's viewers of this instance's QR (none: nobody else watches). */
  broadcast?: QrBroadcast;
}

/** Which line card was last tried, and when: a failed try is repeated only now and then. */
export interface LineCard {
  message: string;
  triedAt: number;
}

/**
 * Puts the QR on the session's message. Undefined when `stop` cut the edit short: whoever resumes
 * the session sends it.
 */
export async function showQrEdit(
  deps: ScreenEditDeps,
  instanceName: string,
  record: SessionRecord,
  seen: SeenQr,
  hash: string,
  stop: AbortSignal,
  now: () => number,
): Promise<Observation | undefined> {
  const started = performance.now();
  // Published before the edit, not after: the page must not lag behind Telegram's pacing.
  void deps.broadcast?.qrShown(instanceName, seen.message, record.deadline).catch(() => undefined);
  const shown = await deps.screen.showQr(
    { chatId: record.chatId, messageId: record.messageId },
    instanceName,
    Buffer.from(seen.message, "base64"),
    record.deadline - now(),
    localeOf(record.locale),
    stop,
  );
  if (shown.kind === "done") deps.counters?.qrShown((performance.now() - started) / 1000);
  // An edit stopped by shutdown (or a lost lease): whoever resumes the session sends it.
  if (shown.kind === "failed" && stop.aborted) return undefined;
  const outcome = shown.kind === "no-turn" ? { kind: "no-budget" as const } : shown;
  return { kind: "edited", hash, outcome };
}

/**
 * A session waiting in its chat's line: the message says so once (a failed try is repeated
 * every LINE_CARD_RETRY_MS at most: the chat's budget is what is short), and the record is kept
 * alive (it has no deadline yet: the clock starts with the first QR).
 */
export async function waitInChatLine(
  deps: ScreenEditDeps,
  record: SessionRecord,
  placeInChat: number,
  card: LineCard,
  now: () => number,
): Promise<ScreenOutcome["kind"] | "shown before"> {
  const { store, screen, chatSlots } = deps;
  const lifetimeMs = record.lifetimeMs ?? record.deadline - record.startedAt;
  if ((record.queuedUntil ?? 0) < now() + lifetimeMs / 2) {
    await store.markQueued(record.instance, record.sessionId, now() + lifetimeMs);
  }
  const capacity = chatSlots?.capacityOf(record.chatId);
  const message = messageKey(record);
  const due = card.message !== message || now() - card.triedAt >= LINE_CARD_RETRY_MS;
  if (record.chatQueuedOn === message || capacity === undefined || !due) return "shown before";
  Object.assign(card, { message, triedAt: now() });
  const target = { chatId: record.chatId, messageId: record.messageId };
  const line = { scope: "chat" as const, place: placeInChat, capacity };
  const shown = await screen.showQueued(target, record.instance, line, localeOf(record.locale));
  if (shown.kind === "done") {
    await store.update(record.instance, record.sessionId, { chatQueuedOn: message });
  }
  return shown.kind;
}
