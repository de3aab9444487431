/**
 * The link page's decisions, pure: what state a link is in, what its page may show, whether a
 * new link may be made, and what an event on the link means for the operator's message. The
 * store (link-store.ts) keeps the record; the page (http/link-page.ts) and the operator's message
 * (telegram/features/link/) only draw what these functions decide.
 */

export type LinkState = "live" | "opened" | "linked" | "expired" | "revoked";

/** What a link remembers: never the token, the idInstance or the phone number in full. */
export interface LinkRecord {
  /** SHA-256 of the id (link-id.ts): the id itself is only in the operator's chat. */
  idHash: string;
  /** The id sealed with a key of the bot's (link-id.ts): the operator's message shows it again. */
  idSealed: string;
  instance: string;
  createdBy: number;
  /** The operator's message that shows the link and is edited on each event. */
  chatId: number;
  messageId: number;
  /** The operator's language, for that message. */
  locale: string;
  createdAt: number;
  expiresAt: number;
  openedAt?: number;
  /** A coarse user agent of the first opening ("iPhone · Safari"), for the operator. */
  openedOn?: string;
  codeRequestedAt?: number;
  linkedAt?: number;
  /** The masked number it was linked as ("+7 900 ···67"), when GREEN-API told it. */
  linkedAs?: string;
  revokedAt?: number;
  /** Bumped on every change: a change made from a stale copy is refused (link-store.ts). */
  rev?: number;
}

export function linkState(record: LinkRecord, now: number): LinkState {
  if (record.revokedAt !== undefined) return "revoked";
  if (record.linkedAt !== undefined) return "linked";
  if (now >= record.expiresAt) return "expired";
  return record.openedAt !== undefined ? "opened" : "live";
}

/**
 * A linked link still shows "✅ linked" this long (the visitor sees it worked, then the page
 * closes itself); after that it is dead like any other.
 */
export const LINKED_SHOWN_MS = 2 * 60_000;

/** What the page may show: the live QR (and the phone path), "linked", or the one 404. */
export type PageView =
  | { kind: "live"; instance: string; expiresAt: number }
  | { kind: "linked"; instance: string }
  | { kind: "gone" };

/**
 * A dead link (expired, revoked, linked a while ago, unknown) shows nothing of the instance: the
 * same 404 whatever the reason, so a guesser learns nothing from it.
 */
export function pageView(record: LinkRecord | undefined, now: number): PageView {
  if (!record) return { kind: "gone" };
  const state = linkState(record, now);
  if (state === "live" || state === "opened")
    return { kind: "live", instance: record.instance, expiresAt: record.expiresAt };
  if (state === "linked" && now - (record.linkedAt ?? 0) < LINKED_SHOWN_MS)
    return { kind: "linked", instance: record.instance };
  return { kind: "gone" };
}

/** Whether one more link may be made for an instance that has `liveCount` live ones. */
export function mayCreateLink(liveCount: number, maxPerInstance: number): boolean {
  return liveCount < maxPerInstance;
}

/** How long Redis keeps a record: its life, plus the "linked" page, plus a margin for the 404. */
export function recordTtlMs(record: Pick<LinkRecord, "expiresAt">, now: number): number {
  return Math.max(1, record.expiresAt - now) + LINKED_SHOWN_MS + 60_000;
}

/** Events of a link: each is audited, and each but `created` edits the operator's message. */
export type LinkEvent =
  | { kind: "created" }
  | { kind: "opened"; userAgent: string; ip?: string }
  | { kind: "code-requested" }
  | { kind: "linked"; as?: string }
  | { kind: "revoked"; by: number }
  | { kind: "expired" };

/**
 * What an event changes in the record, or undefined when it changes nothing (a second opening,
 * an event on a link already dead): only the first of each is worth an edit and an audit line.
 */
export function applyEvent(
  record: LinkRecord,
  event: LinkEvent,
  now: number,
): LinkRecord | undefined {
  const state = linkState(record, now);
  const alive = state === "live" || state === "opened";
  switch (event.kind) {
    case "created":
      return undefined;
    case "opened":
      if (!alive || record.openedAt !== undefined) return undefined;
      return { ...record, openedAt: now, openedOn: event.userAgent };
    case "code-requested":
      if (!alive) return undefined;
      return { ...record, codeRequestedAt: now };
    case "linked":
      // Through the link: only a link someone opened can have done it.
      if (!alive || record.openedAt === undefined) return undefined;
      return { ...record, linkedAt: now, ...(event.as ? { linkedAs: event.as } : {}) };
    case "revoked":
      if (!alive) return undefined;
      return { ...record, revokedAt: now };
    case "expired":
      return state === "expired" ? record : undefined;
  }
}

/**
 * "iPhone · Safari": enough for the operator to recognise the visitor, not enough to track them.
 * Unknown agents are "a browser".
 */
export function coarseUserAgent(userAgent: string | undefined): string {
  const ua = userAgent ?? "";
  const device = /iPhone|iPad/.test(ua)
    ? /iPad/.test(ua)
      ? "iPad"
      : "iPhone"
    : /Android/.test(ua)
      ? "Android"
      : /Windows/.test(ua)
        ? "Windows"
        : /Macintosh|Mac OS X/.test(ua)
          ? "Mac"
          : /Linux/.test(ua)
            ? "Linux"
            : undefined;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Telegram/.test(ua)
      ? "Telegram"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrome\//.test(ua) || /CriOS/.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : undefined;
  if (!device && !browser) return "a browser";
  return [device, browser].filter(Boolean).join(" · ");
}

/** A fixed-window limit: at most `limit` hits per `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

/**
 * The link page's rate limits (every process together, in Redis). A person opening a link makes
 * a few requests (page, assets, one stream, a reconnect now and then); these leave them plenty
 * and make guessing ids hopeless on top of 128 bits.
 */
export const LINK_RATE_LIMITS = {
  /** Every request to /l/… from one address. */
  ip: { limit: 120, windowMs: 60_000 },
  /** Page loads and streams of one link, whoever asks. */
  view: { limit: 60, windowMs: 60_000 },
  /** Unknown or dead ids from one address: past this, even a good id gets 429 for a while. */
  guess: { limit: 20, windowMs: 10 * 60_000 },
  /** Pairing codes asked through one link (the /code cooldown applies on top). */
  code: { limit: 5, windowMs: 10 * 60_000 },
  /** Pairing codes asked from one address, whatever the link. */
  codeIp: { limit: 10, windowMs: 10 * 60_000 },
} as const satisfies Record<string, WindowLimit>;

export type LinkLimitKind = keyof typeof LINK_RATE_LIMITS;
