import type { AuditLog } from "../audit/audit-log.js";
import { formatPhone } from "../pairing/phone.js";
import type { Logger } from "../shared/logger.js";
import { hashLinkId, isWellFormedLinkId, type LinkIdSeal, newLinkId } from "./link-id.js";
import {
  applyEvent,
  coarseUserAgent,
  type LinkEvent,
  type LinkRecord,
  linkState,
  mayCreateLink,
  type PageView,
  pageView,
} from "./link-rules.js";
import type { LinkStore } from "./link-store.js";
import type { LinkScreen } from "./ports.js";

/** Tries of a change that keeps losing the compare-and-set (then it is dropped). */
const CAS_ATTEMPTS = 3;

export interface LinkSettings {
  /** LINK_TTL_MS */
  ttlMs: number;
  /** LINK_MAX_PER_INSTANCE */
  maxPerInstance: number;
  /** PUBLIC_URL, no trailing slash. */
  publicUrl: string;
  /** AUDIT_IPS=1: the opening's IP goes into the audit entry. */
  auditIps: boolean;
}

export type CreateResult = { kind: "created"; url: string } | { kind: "limit"; max: number };

export interface NewLinkRequest {
  instance: string;
  userId: number;
  chatId: number;
  locale: string;
}

/**
 * The links' life: made by /link, opened by the page, linked, revoked or expired. Every event
 * goes through applyEvent (link-rules.ts), is audited once, and edits the operator's message.
 */
export class LinkService {
  constructor(
    private readonly deps: {
      store: LinkStore;
      seal: LinkIdSeal;
      screen: LinkScreen;
      audit: AuditLog;
      logger: Logger;
    },
    private readonly settings: LinkSettings,
  ) {}

  urlOf(id: string): string {
    return `${this.settings.publicUrl}/l/${id}`;
  }

  /**
   * A new link, unless the instance has its maximum of live ones. `send` puts up the operator's
   * message with the link and returns its id; the record is stored once it exists.
   */
  async create(
    request: NewLinkRequest,
    send: (url: string, expiresAt: number) => Promise<number>,
    now = Date.now(),
  ): Promise<CreateResult> {
    const { store } = this.deps;
    const { maxPerInstance, ttlMs } = this.settings;
    if (!mayCreateLink(await store.liveCount(request.instance, now), maxPerInstance)) {
      await this.audit(request.instance, request.userId, request.chatId, "refused: limit");
      return { kind: "limit", max: maxPerInstance };
    }
    const id = newLinkId();
    const url = this.urlOf(id);
    const expiresAt = now + ttlMs;
    const messageId = await send(url, expiresAt);
    const record: LinkRecord = {
      idHash: hashLinkId(id),
      idSealed: this.deps.seal.seal(id),
      instance: request.instance,
      createdBy: request.userId,
      chatId: request.chatId,
      messageId,
      locale: request.locale,
      createdAt: now,
      expiresAt,
    };
    await store.create(record, now);
    await this.audit(request.instance, request.userId, request.chatId, "created");
    return { kind: "created", url };
  }

  /** The link shown on this message of the operator's, if it is still known. */
  linkOfMessage(chatId: number, messageId: number): Promise<LinkRecord | undefined> {
    return this.deps.store.byMessage(chatId, messageId);
  }

  /** The page's view of an id: anything malformed or unknown is the same "gone". */
  async view(id: string, now = Date.now()): Promise<{ view: PageView; record?: LinkRecord }> {
    const record = await this.recordOf(id);
    return { view: pageView(record, now), ...(record ? { record } : {}) };
  }

  async recordOf(id: string): Promise<LinkRecord | undefined> {
    if (!isWellFormedLinkId(id)) return undefined;
    return this.deps.store.get(hashLinkId(id));
  }

  async opened(record: LinkRecord, userAgent: string | undefined, ip: string | undefined) {
    const event: LinkEvent = {
      kind: "opened",
      userAgent: coarseUserAgent(userAgent),
      ...(this.settings.auditIps && ip ? { ip } : {}),
    };
    return this.apply(record, event);
  }

  async revoke(record: LinkRecord, by: number): Promise<boolean> {
    return (await this.apply(record, { kind: "revoked", by })) !== undefined;
  }

  async codeRequested(record: LinkRecord) {
    return this.apply(record, { kind: "code-requested" });
  }

  /**
   * The instance was linked (a QR session ended authorized): an opened live link of it gets the
   * credit, "through the link". Returns true when one did, for the closure note.
   */
  async instanceLinked(instance: string, phone: string | undefined, now = Date.now()) {
    const as = phone ? formatPhone(phone, "masked") : undefined;
    let credited = false;
    for (const record of await this.deps.store.liveOf(instance, now)) {
      if (record.openedAt === undefined) continue;
      if (await this.apply(record, { kind: "linked", ...(as ? { as } : {}) }, now)) credited = true;
    }
    return credited;
  }

  /** Tells the operators of links past their expiry, once each (every process may sweep). */
  async sweepExpired(now = Date.now()): Promise<number> {
    const expired = await this.deps.store.takeExpired(now);
    for (const record of expired) await this.apply(record, { kind: "expired" }, now);
    return expired.length;
  }

  private async apply(
    record: LinkRecord,
    event: LinkEvent,
    now = Date.now(),
  ): Promise<LinkRecord | undefined> {
    let current: LinkRecord | undefined = record;
    let changed: LinkRecord | undefined;
    // A concurrent change wins the compare-and-set: read again and decide again (bounded).
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current; attempt++) {
      const next = applyEvent(current, event, now);
      if (!next) return undefined;
      const rev = current.rev ?? 0;
      const alive = ["live", "opened"].includes(linkState(next, now));
      if (await this.deps.store.replace(rev, { ...next, rev: rev + 1 }, alive)) {
        changed = { ...next, rev: rev + 1 };
        break;
      }
      current = await this.deps.store.get(record.idHash);
    }
    if (!changed) return undefined;
    const state = linkState(changed, now);
    const alive = state === "live" || state === "opened";
    const by = event.kind === "revoked" ? event.by : changed.createdBy;
    await this.audit(changed.instance, by, changed.chatId, resultOf(event));
    const id = alive ? this.deps.seal.open(changed.idSealed) : undefined;
    await this.deps.screen
      .show(changed, state, id ? this.urlOf(id) : undefined)
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, "link message not edited"));
    return changed;
  }

  private audit(instance: string, userId: number, chatId: number, result: string) {
    return this.deps.audit.record({ action: "link", userId, chatId, instance, result });
  }
}

/** The audit entry's result: what happened, never the id, a token or the whole number. */
function resultOf(event: LinkEvent): string {
  switch (event.kind) {
    case "opened":
      return `opened (${event.userAgent}${event.ip ? `, ${event.ip}` : ""})`;
    case "linked":
      return event.as ? `linked through the link as ${event.as}` : "linked through the link";
    case "code-requested":
      return "code requested";
    default:
      return event.kind;
  }
}
