import type { InstanceRegistry } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import type { AlertStore } from "./alert-store.js";
import type { AlertDispatcher } from "./dispatcher.js";
import type { FollowUps } from "./follow-ups.js";
import type { AlertPhones, IncidentHistory } from "./ports.js";
import { type AlertRules, type Observation, observe, recheckDue } from "./transitions.js";
import type { InstanceWatch, MessageRef } from "./watch-state.js";

export interface AlerterDeps {
  store: AlertStore;
  instances: InstanceRegistry;
  rules: AlertRules;
  /** Who hears of an instance (audience.ts): narrows `rules.alertChats` per instance. */
  alertChatsFor: (instance: string) => readonly number[];
  followUps: FollowUps;
  dispatcher: AlertDispatcher;
  /** Remembered phone numbers: refreshed when an instance is seen authorized. */
  phones: Pick<AlertPhones, "refresh">;
  /** The incident history (history/): what each observation opened and ended. */
  history?: IncidentHistory;
  logger: Logger;
}

type Watches = Map<string, InstanceWatch | undefined>;

/**
 * One watch run, in the middle of the alerts pipeline: observations in (from the intake), each
 * through the pure `observe` (transitions.ts), then the follow-ups (closure notes, auto-reboot,
 * escalation), then the dispatcher (new messages, edits) and the phone refresh. Run by the watch
 * job only, one at a time across all processes (StateWatcher).
 */
export class Alerter {
  constructor(private readonly deps: AlerterDeps) {}

  /**
   * Takes observations in (from any worker's checks, and webhooks): memory, new alerts, edits.
   * Returns the instances to check again soon (`recheckDue`): a bad state seen once.
   */
  async ingest(observations: ReadonlyArray<readonly [string, Observation]>): Promise<string[]> {
    const known = observations.filter(([name]) => this.deps.instances.find(name));
    const watches = await this.deps.store.watches([...new Set(known.map(([name]) => name))]);
    const fresh = freshOnly(known, watches);
    // GREEN-API's word (webhooks, batched by the apply window) is told at once, as before; a run
    // with polls in it gathers, since the next poll's run comes soon to send what it holds.
    const webhooksOnly =
      fresh.length > 0 && fresh.every(([, o]) => o.kind === "state" && o.source === "webhook");
    await this.apply(watches, fresh, !webhooksOnly);
    const ranAt = Date.now();
    await this.deps.store.setLastRun(ranAt);
    await this.deps.history?.watchRun(ranAt).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, "could not record the watch run in the history");
    });
    const seen = new Set(fresh.map(([name]) => name));
    return [...seen].filter((name) => recheckDue(watches.get(name), this.deps.rules));
  }

  private async apply(
    watches: Watches,
    observations: ReadonlyArray<readonly [string, Observation]>,
    gather: boolean,
  ): Promise<void> {
    const { store, rules, logger, followUps, dispatcher } = this.deps;
    const changed = new Map<string, InstanceWatch>();
    const dirty: MessageRef[] = [];
    for (const [name, observation] of observations) {
      const before = watches.get(name);
      const alertChats = this.deps.alertChatsFor(name);
      const outcome = observe(before, observation, { ...rules, alertChats });
      watches.set(name, outcome.watch);
      changed.set(name, outcome.watch);
      dirty.push(...(await followUps.after(name, outcome, observation.at)));
      // After the follow-ups: an escalation or a claim they found is on the incident by now.
      await this.deps.history?.observed(name, before, outcome).catch((error: unknown) => {
        logger.warn({ err: error, instance: name }, "could not record the incident history");
      });
      logOpened(logger, name, before, outcome.watch);
    }
    await store.saveWatches(changed);
    await store.markDirty(dirty);
    await dispatcher.sendPending(watches, gather);
    await dispatcher.flushEdits();
    await this.refreshPhones(observations);
  }

  /** Instances seen authorized: their numbers refreshed (at most once a day each, inside). */
  private async refreshPhones(
    observations: ReadonlyArray<readonly [string, Observation]>,
  ): Promise<void> {
    await Promise.all(
      observations.flatMap(([name, observation]) => {
        const instance = this.deps.instances.find(name);
        if (observation.kind !== "state" || observation.state !== "authorized" || !instance)
          return [];
        return [this.deps.phones.refresh(instance).catch(() => undefined)];
      }),
    );
  }
}

/**
 * In order of time, without answers older than the last one applied: shard jobs on several
 * workers can finish out of order (a slow check of the last interval after a quick one of this).
 * A webhook's state and a sign of the phone always count (they do not move `checkedAt`).
 */
function freshOnly(
  observations: ReadonlyArray<readonly [string, Observation]>,
  watches: Watches,
): Array<readonly [string, Observation]> {
  const latest = new Map([...watches].map(([name, watch]) => [name, watch?.checkedAt ?? 0]));
  return [...observations]
    .sort((a, b) => a[1].at - b[1].at)
    .filter(([name, observation]) => {
      if (observation.kind === "state" && observation.source === "webhook") return true;
      // A sign of the phone is dated by the phone (it never moves the time back: transitions.ts).
      if (observation.kind === "phoneSeen") return true;
      if (observation.at < (latest.get(name) ?? 0)) return false;
      latest.set(name, observation.at);
      return true;
    });
}

function logOpened(
  logger: Logger,
  instance: string,
  before: InstanceWatch | undefined,
  after: InstanceWatch,
): void {
  if (after.down && !before?.down) {
    logger.info(
      { instance, state: after.down.state, initial: after.down.initial },
      "instance down",
    );
  }
  if (after.unreachable && !before?.unreachable) {
    logger.info({ instance, failures: after.failures }, "GREEN-API unreachable for instance");
  }
}
