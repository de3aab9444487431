import type { Incident, InstanceWatch } from "./watch-state.js";

/**
 * "A status that lies": an instance can say `authorized` while nothing leaves, its outgoing
 * messages piling up in GREEN-API's send queue (showMessagesQueue). These pure decisions read the
 * queue of authorized instances only: a queue that stays non-empty without moving for
 * `stuckAfterMs` opens a "stuck" incident; the queue emptying or moving again ends it.
 */

/** One reading of an authorized instance's send queue (queue-probe.ts). */
export interface QueueObservation {
  kind: "queue";
  /** Messages listed (GREEN-API lists the first 500). */
  size: number;
  /** The first listed message's id: when it changes, the queue moved. */
  head?: string;
  at: number;
}

export interface StuckRules {
  /** STUCK_AFTER_MS; 0 or unset: queues are not judged. */
  stuckAfterMs?: number;
  alertChats: readonly number[];
}

/** What a reading (or a state change) did: the stuck incident it ended, if any. */
export interface QueueOutcome {
  ended?: Incident;
}

/**
 * One reading of the queue, on the watch record in place. The queue moved when it shrank or its
 * first message changed (sent): the clock starts again. A queue not read before starts its clock
 * now. Growth alone is not movement: new messages joining a queue that sends nothing.
 */
export function readQueue(
  watch: InstanceWatch,
  seen: QueueObservation,
  rules: StuckRules,
): QueueOutcome {
  // Only an authorized instance should send; any other state explains a queue by itself.
  if (!rules.stuckAfterMs || watch.state !== "authorized" || watch.down) return leaveQueue(watch);
  if (seen.size === 0) return leaveQueue(watch);
  const before = watch.queue;
  const moved =
    before === undefined ||
    seen.size < before.size ||
    (before.head !== undefined && seen.head !== before.head);
  const since = moved ? seen.at : before.since;
  watch.queue = { size: seen.size, ...(seen.head ? { head: seen.head } : {}), since };
  if (moved && watch.stuck) {
    const ended = watch.stuck;
    watch.stuck = undefined;
    return { ended };
  }
  const waitedMs = seen.at - since;
  if (!watch.stuck && waitedMs >= rules.stuckAfterMs) {
    watch.stuck = {
      since,
      initial: false,
      unsent: [...rules.alertChats],
      messages: [],
      queued: seen.size,
      waitedMs,
    };
  }
  return {};
}

/**
 * The queue is empty, or the instance is no longer authorized (its own alert takes over): the
 * queue's clock stops and an open stuck incident ends.
 */
export function leaveQueue(watch: InstanceWatch): QueueOutcome {
  watch.queue = undefined;
  const ended = watch.stuck;
  watch.stuck = undefined;
  return ended ? { ended } : {};
}
