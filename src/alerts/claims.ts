import type { Redis } from "ioredis";
import type { AlertStore } from "./alert-store.js";
import { sameRef } from "./message-items.js";
import type { AlertMessage, MessageRef } from "./watch-state.js";

/** A claim outlives any incident worth claiming; it names the incident by when it began. */
const CLAIM_KEEP_MS = 7 * 24 * 3_600_000;

export type ClaimOutcome =
  /** `message`: the pressed alert as it stands now, to draw at once; the others are marked dirty. */
  { kind: "claimed"; message?: AlertMessage } | { kind: "taken"; by: string } | { kind: "none" };

/**
 * "I'm on it": the first operator to press it owns the instance's open incident, and every alert
 * message showing it says so, so that two people do not both log an instance out. The claim is
 * its own Redis key per incident (SET NX: the first press wins), written by the bot; the watcher
 * only reads it (escalation), so the watch records keep their one writer. The alert messages'
 * records are rewritten here and marked dirty; the watcher's next run edits the other chats.
 */
export class AlertClaims {
  constructor(
    private readonly store: AlertStore,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(instance: string, since: number) {
    return `${this.prefix}:alerts:claim:${instance}:${since}`;
  }

  async claim(instance: string, by: string, pressed: MessageRef): Promise<ClaimOutcome> {
    const watch = (await this.store.watches([instance])).get(instance);
    const incident = watch?.down ?? watch?.unreachable;
    if (!incident) return { kind: "none" };
    const key = this.key(instance, incident.since);
    const taken = await this.redis.set(key, by, "PX", CLAIM_KEEP_MS, "NX");
    if (taken !== "OK") return { kind: "taken", by: (await this.redis.get(key)) ?? by };
    const refs = incident.messages.some((ref) => sameRef(ref, pressed))
      ? incident.messages
      : [...incident.messages, pressed];
    let shown: AlertMessage | undefined;
    const dirty: MessageRef[] = [];
    for (const ref of refs) {
      const message = await this.store.message(ref);
      if (!message) continue;
      const items = message.items.map((item) =>
        item.instance === instance && item.kind !== "offline" && item.endedAt === undefined
          ? { ...item, claimedBy: by }
          : item,
      );
      await this.store.saveMessage({ ...message, items });
      if (sameRef(ref, pressed)) shown = { ...message, items };
      else dirty.push(ref);
    }
    await this.store.markDirty(dirty);
    return { kind: "claimed", ...(shown ? { message: shown } : {}) };
  }

  /** Who claimed the incident of `instance` that began at `since`, if anyone. */
  async claimedBy(instance: string, since: number): Promise<string | undefined> {
    return (await this.redis.get(this.key(instance, since))) ?? undefined;
  }
}
