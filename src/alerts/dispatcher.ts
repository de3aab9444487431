import type { Logger } from "../shared/logger.js";
import type { AlertStore } from "./alert-store.js";
import {
  DIGEST_MIN_ITEMS,
  type DigestStore,
  digestEditDue,
  joinItems,
  joinsDigest,
} from "./digest.js";
import { sameRef } from "./message-items.js";
import type { MuteStore } from "./mute-store.js";
import { collectPending, incidentItem, type PendingIncident } from "./pending-alerts.js";
import type { AlertChannel, AlertCounters, AlertPhones } from "./ports.js";
import {
  type AlertItem,
  INCIDENT_KINDS,
  type InstanceWatch,
  type MessageRef,
} from "./watch-state.js";

/** Edits of older alert messages per run: with one new message, well inside 20 per minute per group. */
const MAX_EDITS_PER_RUN = 10;

type Watches = Map<string, InstanceWatch | undefined>;

export interface DispatcherDeps {
  store: AlertStore;
  mutes: Pick<MuteStore, "all">;
  /** Where alert messages go (Telegram, in ALERT_LANGUAGE: they go to chats, not to a person). */
  channel: AlertChannel;
  /** Mass incidents: one digest message per chat (digest.ts). */
  digests: DigestStore;
  /** New alerts in a chat wait this long for others (one message for a burst); 0: none. */
  gatherMs: number;
  /** Remembered phone numbers, shown on a logged-out instance's line. */
  phones: Pick<AlertPhones, "many">;
  /** Whether an alert in this chat gets an instance's buttons (audience.ts). */
  buttonsIn: (chatId: number) => (instance: string) => boolean;
  counters: AlertCounters;
  logger: Logger;
}

/** One chat's new alert: told (in a message; or dropped, the chat gone for good), or not yet. */
type Delivery = { told: true; ref?: MessageRef } | { told: false };

/**
 * The alerts' way out: one new message per chat for what it has not been told (or a join to the
 * chat's digest), re-sent when its message is gone, and the edits of messages whose lines
 * changed, a few per run, holding back a chat that hit 429.
 */
export class AlertDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** One message per chat for every incident not yet told there, unless its instance is muted. */
  async sendPending(watches: Watches, gather: boolean): Promise<void> {
    const { store } = this.deps;
    const { byChat, warnings, warned } = collectPending(watches, await this.deps.mutes.all());
    await store.saveWatches(warned);
    const phones = await this.knownPhones(byChat);
    for (const [chatId, entries] of byChat) {
      const items = [
        ...entries.map((entry) => incidentItem(entry, phones.get(entry.name)?.phone)),
        ...(warnings.get(chatId) ?? []),
      ];
      // Early warnings were taken off their incidents: they go out now, not after a gathering.
      const delivery = await this.deliver(chatId, items, gather && !warnings.has(chatId));
      if (!delivery.told) continue;
      const updated = new Map<string, InstanceWatch>();
      for (const { name, incident } of entries) {
        incident.unsent = incident.unsent.filter((id) => id !== chatId);
        if (delivery.ref) incident.messages.push(delivery.ref);
        const watch = watches.get(name);
        if (watch) updated.set(name, watch);
      }
      await store.saveWatches(updated);
    }
  }

  /** Re-renders out-of-date alert messages, a few per run, holding back a chat that hit 429. */
  async flushEdits(): Promise<void> {
    const { store, channel, logger } = this.deps;
    const held = new Set<number>();
    let edits = 0;
    for (const ref of await store.dirty()) {
      if (edits >= MAX_EDITS_PER_RUN) break;
      if (held.has(ref.chatId)) continue;
      const message = await store.message(ref);
      if (!message) {
        await store.clean(ref);
        continue;
      }
      if (!(await this.digestEditTurn(ref, message.items.length))) continue;
      edits += 1;
      const outcome = await channel.edit(ref, message.items, this.deps.buttonsIn(ref.chatId));
      // The message is gone for good (deleted, too old to edit): editing it again every run would
      // never land, so the chat gets the same alert as a fresh message instead.
      if (outcome.kind === "gone" && outcome.scope === "message") {
        await this.resend(ref, message.items);
      }
      if (outcome.kind === "done" || outcome.kind === "gone" || outcome.kind === "bug") {
        await store.clean(ref);
      }
      if (outcome.kind === "rate-limited") held.add(ref.chatId);
      if (outcome.kind !== "done") {
        logger.warn({ ...ref, outcome: outcome.kind }, "could not edit an alert");
      }
    }
  }

  /**
   * Sends (or joins to the digest) one chat's new items; a gathering chat waits for its time.
   * A chat gone for good (bot blocked or kicked) counts as told, so it is not retried every run.
   */
  private async deliver(chatId: number, items: AlertItem[], gathering: boolean): Promise<Delivery> {
    const { store, logger, counters } = this.deps;
    const joined = await this.joinDigest(chatId, items);
    if (joined) {
      for (const item of items) counters.alertSent(item.kind);
      logger.info({ chatId, instances: items.length }, "alert joined the chat's digest");
      return { told: true, ref: joined };
    }
    if (gathering && !(await this.gathered(chatId))) return { told: false };
    const sent = await this.deps.channel.send(chatId, items, this.deps.buttonsIn(chatId));
    if (sent.kind !== "sent") {
      logger.warn(
        { chatId, outcome: sent.kind, reason: "description" in sent ? sent.description : "" },
        "could not send an alert",
      );
      return sent.kind === "gone" ? { told: true } : { told: false };
    }
    await store.saveMessage({ ...sent.ref, items });
    const now = Date.now();
    await this.deps.digests.save({ ...sent.ref, changedAt: now, editedAt: now });
    for (const item of items) counters.alertSent(item.kind);
    logger.info({ chatId, instances: items.map((i) => i.instance) }, "alert sent");
    return { told: true, ref: sent.ref };
  }

  private async knownPhones(byChat: ReadonlyMap<number, readonly PendingIncident[]>) {
    const names = [...new Set([...byChat.values()].flat().map((entry) => entry.name))];
    if (names.length === 0) return new Map<string, { phone: string }>();
    return this.deps.phones.many(names).catch(() => new Map<string, { phone: string }>());
  }

  /**
   * A mass incident under way in this chat (digest.ts): the new items join its message, which is
   * marked for an edit; undefined when they go out as a new message instead.
   */
  private async joinDigest(chatId: number, items: AlertItem[]): Promise<MessageRef | undefined> {
    const { digests, store } = this.deps;
    const digest = await digests.of(chatId);
    const message = digest && (await store.message(digest));
    const now = Date.now();
    if (!digest || !message || !joinsDigest(digest, message, items.length, now)) return undefined;
    const ref = { chatId: digest.chatId, messageId: digest.messageId };
    await store.saveMessage({ ...message, items: joinItems(message.items, items) });
    await store.markDirty([ref]);
    await digests.save({ ...digest, changedAt: now });
    return ref;
  }

  /** Whether this chat's new alerts have waited their gathering time (then: the next one starts). */
  private async gathered(chatId: number): Promise<boolean> {
    const { digests, gatherMs } = this.deps;
    if (!gatherMs) return true;
    const now = Date.now();
    if (now < (await digests.gatherUntil(chatId, now, gatherMs))) return false;
    await digests.gathered(chatId);
    return true;
  }

  /**
   * A chat's digest (a mass alert) is edited at most every few seconds; it stays dirty until its
   * turn, which a later watch run takes (shard jobs bring one every interval ÷ shards). Any
   * other message may be edited now. Taking the turn stamps the digest.
   */
  private async digestEditTurn(ref: MessageRef, items: number): Promise<boolean> {
    const digest = await this.deps.digests.of(ref.chatId);
    if (digest === undefined || !sameRef(digest, ref) || items < DIGEST_MIN_ITEMS) return true;
    if (!digestEditDue(digest, Date.now())) return false;
    await this.deps.digests.save({ ...digest, editedAt: Date.now() });
    return true;
  }

  /** An alert whose message is gone, sent again; its incidents point at the new message. */
  private async resend(gone: MessageRef, items: readonly AlertItem[]): Promise<void> {
    const { store, channel, logger } = this.deps;
    const sent = await channel.send(gone.chatId, items, this.deps.buttonsIn(gone.chatId));
    if (sent.kind !== "sent") {
      logger.warn({ ...gone, outcome: sent.kind }, "could not send a gone alert again");
      return;
    }
    const fresh = sent.ref;
    await store.saveMessage({ ...fresh, items: [...items] });
    const names = [...new Set(items.map((item) => item.instance))];
    const watches = await store.watches(names);
    const updated = new Map<string, InstanceWatch>();
    for (const [name, watch] of watches) {
      if (!watch) continue;
      for (const kind of INCIDENT_KINDS) {
        const incident = watch[kind];
        if (!incident) continue;
        incident.messages = incident.messages.map((ref) => (sameRef(ref, gone) ? fresh : ref));
      }
      updated.set(name, watch);
    }
    await store.saveWatches(updated);
    logger.info({ ...gone, messageId: fresh.messageId }, "alert message gone; sent it again");
  }
}
