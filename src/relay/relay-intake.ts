import { createHash } from "node:crypto";
import type { Logger } from "../shared/logger.js";
import { FULL_RETRY_AFTER_SECONDS } from "./decisions.js";
import type { Backlog, RelayCounters } from "./ports.js";
import type { RelayStore } from "./relay-store.js";
import type { RelayTargets } from "./targets.js";

/** What the webhook answers GREEN-API once the relay has had its say. */
export type RelayAnswer =
  | { kind: "queued" }
  /** No target: as before the relay, the webhook's own answer. */
  | { kind: "not-relayed" }
  /** Not kept (full, or Redis did not answer): 503, and GREEN-API sends it again. */
  | { kind: "refused"; retryAfterSeconds: number };

/** Retry-After when Redis did not take the write: GREEN-API's own minute. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 60;

/**
 * The delivery id of a notification: its instance and bytes, hashed (shaped as a UUID). The same
 * bytes are the same notification (GREEN-API's carry their idMessage and timestamp), so a copy
 * that GREEN-API sends again after a Redis failover lost the first one from Redis, although
 * already forwarded, reaches the application under the same id, and it deduplicates on it.
 */
export function deliveryIdOf(idInstance: string, body: Buffer): string {
  const hex = createHash("sha256").update(idInstance).update("\n").update(body).digest("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join("-");
}

/**
 * The relay's way in: an authenticated notification of an instance with a target is written to
 * Redis before the webhook answers, so a 200 means kept. `wake` tells this process's workers
 * there is work (other processes find it on their next look).
 */
export class RelayIntake {
  constructor(
    private readonly deps: {
      store: RelayStore;
      targets: RelayTargets;
      counters: RelayCounters;
      logger: Logger;
      wake?: () => void;
      now?: () => number;
    },
  ) {}

  async accept(idInstance: string, body: Buffer, contentType: string): Promise<RelayAnswer> {
    const { store, targets, counters, logger } = this.deps;
    try {
      if (!(await targets.of(idInstance))) return { kind: "not-relayed" };
      const admission = await store.enqueue(idInstance, {
        deliveryId: deliveryIdOf(idInstance, body),
        queuedAt: (this.deps.now ?? Date.now)(),
        contentType,
        body,
      });
      if (admission === "duplicate") {
        logger.debug({ idInstance }, "relay: a notification sent again was kept already");
      } else if (admission === "unreplicated") {
        counters.relayRefused("unavailable");
        if (this.firstInAMinute(idInstance)) {
          logger.warn({ idInstance }, "relay: no Redis replica took a notification: 503");
        }
        return { kind: "refused", retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS };
      } else if (admission !== "accept") {
        counters.relayRefused(admission);
        // A full backlog refuses every notification of a burst: one line a minute per instance.
        if (this.firstInAMinute(idInstance)) {
          logger.warn({ idInstance, cap: admission }, "relay backlog full: GREEN-API gets a 503");
        }
        return { kind: "refused", retryAfterSeconds: FULL_RETRY_AFTER_SECONDS };
      }
    } catch (error) {
      counters.relayRefused("unavailable");
      logger.warn({ err: error, idInstance }, "relay could not keep a notification: 503");
      return { kind: "refused", retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS };
    }
    this.deps.wake?.();
    return { kind: "queued" };
  }

  /** When each instance last logged a refusal (bounded: instances greenlight knows). */
  private readonly warnedAt = new Map<string, number>();

  private firstInAMinute(idInstance: string): boolean {
    const now = (this.deps.now ?? Date.now)();
    const last = this.warnedAt.get(idInstance);
    if (last !== undefined && now - last < 60_000) return false;
    this.warnedAt.set(idInstance, now);
    return true;
  }

  /** The port /status reads. */
  backlogOf(idInstance: string): Promise<Backlog> {
    return this.deps.store.backlogOf(idInstance);
  }
}
