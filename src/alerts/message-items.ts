import type { AlertStore } from "./alert-store.js";
import type { EndedIncident } from "./transitions.js";
import type { AlertItem, Incident, IncidentKind, MessageRef } from "./watch-state.js";

/** The part of the store that alert lines are rewritten through. */
export type MessageRecords = Pick<AlertStore, "message" | "saveMessage">;

/** Rewrites the matching items of these messages; returns the messages to re-render. */
export async function rewriteItems(
  store: MessageRecords,
  refs: readonly MessageRef[],
  match: (item: AlertItem) => boolean,
  update: (item: AlertItem) => AlertItem,
): Promise<MessageRef[]> {
  const touched: MessageRef[] = [];
  for (const ref of refs) {
    const message = await store.message(ref);
    if (!message || !message.items.some(match)) continue;
    const items = message.items.map((item) => (match(item) ? update(item) : item));
    await store.saveMessage({ ...message, items });
    touched.push(ref);
  }
  return touched;
}

/**
 * Rewrites this incident's open line in each message that shows it; returns the messages to
 * re-render (every message of the incident that still exists, as the watcher always did).
 */
export async function updateIncidentItems(
  store: MessageRecords,
  instance: string,
  kind: IncidentKind,
  incident: Incident,
  update: (item: AlertItem) => AlertItem,
): Promise<MessageRef[]> {
  const touched: MessageRef[] = [];
  for (const ref of incident.messages) {
    const message = await store.message(ref);
    if (!message) continue;
    const items = message.items.map((item) =>
      item.kind === kind && item.instance === instance && item.endedAt === undefined
        ? update(item)
        : item,
    );
    await store.saveMessage({ ...message, items });
    touched.push(ref);
  }
  return touched;
}

/** An ended incident's line: when it ended, and who linked it if greenlight saw the link. */
export function endItem(
  ended: EndedIncident,
  link?: { by: string; at: number },
): (item: AlertItem) => AlertItem {
  return (item) =>
    link
      ? { ...item, endedAt: linkedEnd(item, link), linkedBy: link.by }
      : { ...item, endedAt: ended.at };
}

/**
 * When a line that greenlight's own QR or code ended says it ended: at the link's time, the one
 * the QR or code message shows ("👤 Linked by Ivan at 03:29"), whichever of the two saw the login
 * first, so the two messages never disagree; never before the incident began.
 */
export function linkedEnd(item: Pick<AlertItem, "since">, link: { at: number }): number {
  return Math.max(link.at, item.since);
}

export const sameRef = (a: MessageRef, b: MessageRef) =>
  a.chatId === b.chatId && a.messageId === b.messageId;
