import type { Instance, InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { GreenApiError, type GreenApiFailure } from "../green-api/errors.js";
import type { StateInstance } from "../green-api/schemas.js";
import type { Logger } from "../shared/logger.js";
import type { AlertStore } from "./alert-store.js";
import {
  DIGEST_MIN_ITEMS,
  type DigestStore,
  digestEditDue,
  joinItems,
  joinsDigest,
} from "./digest.js";
import type { MuteStore } from "./mute-store.js";
import type {
  AlertChannel,
  AlertCounters,
  AlertLinks,
  AlertPhones,
  AutoRebooter,
} from "./ports.js";
import {
  type AlertRules,
  autoRebootDue,
  type EndedIncident,
  escalationDue,
  LINK_NOTE_WINDOW_MS,
  type Observation,
  observe,
  recheckDue,
} from "./transitions.js";
import type {
  AlertItem,
  Incident,
  IncidentKind,
  InstanceWatch,
  MessageRef,
} from "./watch-state.js";

/** GREEN-API allows getStateInstance once a second per instance; never check more often. */
const MIN_CHECK_SPACING_MS = 1_000;
/**
 * How long a background state check waits for its instance's turn under GREEN-API's per-instance
 * limit, shared with every caller. Longer, and the watcher would book the instance's slots ahead
 * and starve the calls an operator waits on (a pairing code's login check waits at most 2 s); a
 * check that gets no turn is simply made at the next run.
 */
const CHECK_TURN_WAIT_MS = 1_000;
/** Edits of older alert messages per run: with one new message, well inside 20 per minute per group. */
const MAX_EDITS_PER_RUN = 10;
/** These say nothing about the instance: GREEN-API did not answer properly. */
const UNREACHABLE: ReadonlySet<GreenApiFailure> = new Set([
  "timeout",
  "network",
  "server-error",
  "invalid-answer",
]);

export interface AlerterDeps {
  store: AlertStore;
  mutes: MuteStore;
  instances: InstanceRegistry;
  greenApi: GreenApiClient;
  /** Where alert messages go (Telegram, in ALERT_LANGUAGE: they go to chats, not to a person). */
  channel: AlertChannel;
  rules: AlertRules;
  /**
   * Narrows `rules.alertChats` per instance: with the default (the operators' private chats) an
   * operator hears only of instances they may see. Configured ALERT_CHAT_IDS get everything.
   */
  alertChatsFor?: (instance: string) => readonly number[];
  /** Whether an alert in this chat gets this instance's buttons; all, when not given. */
  actionable?: (chatId: number, instance: string) => boolean;
  logger: Logger;
  counters?: AlertCounters;
  /** Remembered phone numbers: refreshed when an instance is seen authorized, shown on alerts. */
  phones?: AlertPhones;
  /** Who linked an instance, for "✅ shop linked by Ivan at 03:12". */
  links?: AlertLinks;
  /** AUTO_REBOOT_STARTING's reboot (audited); absent: never rebooted by the watcher. */
  rebooter?: AutoRebooter;
  /** "I'm on it" presses (claims.ts): a claimed incident is not escalated. */
  claims?: { claimedBy(instance: string, since: number): Promise<string | undefined> };
  /** Mass incidents: one digest message per chat (digest.ts); without it, as before. */
  digests?: DigestStore;
  /** New alerts in a chat wait this long for others (one message for a burst); 0: none. */
  gatherMs?: number;
}

type Watches = Map<string, InstanceWatch | undefined>;

export interface CheckOptions {
  /** Per getStateInstance call. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Waits for the fleet's turn (GREEN_API_REQUESTS_PER_SECOND across processes); false: no turn
   * in time, this instance is checked at the next run instead.
   */
  beforeCheck?: () => Promise<boolean>;
}

/**
 * Runs one watcher step: checks instances (or takes a webhook's word), updates their memory,
 * sends one grouped message per chat for new incidents and edits the alerts of ended ones. Called
 * by the watcher job only, one at a time across all processes (see StateWatcher).
 */
export class Alerter {
  constructor(private readonly deps: AlerterDeps) {}

  /**
   * Checks these instances concurrently (a share of the fleet: StateChecks runs one shard per
   * job), skipping any checked less than a second ago. Writes nothing: the observations go to
   * `ingest`, which the single watch job runs.
   */
  async checkEach(
    instances: readonly Instance[],
    options: CheckOptions,
  ): Promise<Array<readonly [string, Observation]>> {
    const watches = await this.deps.store.watches(instances.map((instance) => instance.name));
    const started = Date.now();
    const checks = await Promise.all(
      instances.map(async (instance) => {
        const checkedAt = watches.get(instance.name)?.checkedAt ?? 0;
        if (started - checkedAt < MIN_CHECK_SPACING_MS) return undefined;
        if (options.beforeCheck && !(await options.beforeCheck())) return undefined;
        const observation = await this.check(instance, options);
        return observation && ([instance.name, observation] as const);
      }),
    );
    return checks.filter((check) => check !== undefined);
  }

  /**
   * Takes observations in (from any worker's checks): memory, new alerts, edits. One at a time.
   * Returns the instances to check again soon (`recheckDue`): a bad state seen once.
   */
  async ingest(observations: ReadonlyArray<readonly [string, Observation]>): Promise<string[]> {
    const known = observations.filter(([name]) => this.deps.instances.find(name));
    const watches = await this.deps.store.watches([...new Set(known.map(([name]) => name))]);
    // Shard jobs on several workers can finish out of order (a slow check of the last interval
    // after a quick one of this): an answer older than the last one applied says nothing new.
    const latest = new Map([...watches].map(([name, watch]) => [name, watch?.checkedAt ?? 0]));
    const fresh = [...known]
      .sort((a, b) => a[1].at - b[1].at)
      .filter(([name, observation]) => {
        if (observation.kind === "state" && observation.source === "webhook") return true;
        if (observation.at < (latest.get(name) ?? 0)) return false;
        latest.set(name, observation.at);
        return true;
      });
    // GREEN-API's word (webhooks, batched by the apply window) is told at once, as before; a run
    // with polls in it gathers, since the next poll's run comes soon to send what it holds.
    const webhooksOnly =
      fresh.length > 0 && fresh.every(([, o]) => o.kind === "state" && o.source === "webhook");
    const gather = !webhooksOnly;
    await this.apply(watches, fresh, gather);
    await this.deps.store.setLastRun(Date.now());
    const seen = new Set(fresh.map(([name]) => name));
    return [...seen].filter((name) => recheckDue(watches.get(name), this.deps.rules));
  }

  /** A state GREEN-API pushed (webhook): trusted at once, no second check needed. */
  async webhook(instance: string, state: StateInstance, at: number): Promise<void> {
    if (!this.deps.instances.find(instance)) return;
    const watches = await this.deps.store.watches([instance]);
    // GREEN-API's word comes one instance at a time: told at once, no gathering.
    await this.apply(watches, [[instance, { kind: "state", state, at, source: "webhook" }]], false);
  }

  private async check(instance: Instance, options: CheckOptions): Promise<Observation | undefined> {
    try {
      const state = await this.deps.greenApi.getStateInstance(instance, {
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        maxWaitMs: CHECK_TURN_WAIT_MS,
      });
      return { kind: "state", state, at: Date.now(), source: "poll" };
    } catch (error) {
      if (options.signal?.aborted) return undefined;
      const log = this.deps.logger.child({ instance: instance.name });
      if (error instanceof GreenApiError && UNREACHABLE.has(error.failure)) {
        log.warn({ failure: error.failure, status: error.status }, "state check got no answer");
        return { kind: "unreachable", at: Date.now() };
      }
      if (error instanceof GreenApiError && error.failure === "rate-limited" && !error.status) {
        // Others had the instance's turns (a live QR, a pairing code): checked next run.
        log.debug("state check skipped: no turn under GREEN-API's limit");
        return undefined;
      }
      // Wrong credentials, quota: not an outage of the instance; logged, not counted.
      log.warn({ err: error }, "state check failed");
      return undefined;
    }
  }

  private async apply(
    watches: Watches,
    observations: ReadonlyArray<readonly [string, Observation]>,
    gather = true,
  ): Promise<void> {
    const { store, rules, logger } = this.deps;
    const changed = new Map<string, InstanceWatch>();
    const dirty: MessageRef[] = [];
    for (const [name, observation] of observations) {
      const before = watches.get(name);
      const alertChats = this.deps.alertChatsFor?.(name) ?? rules.alertChats;
      const outcome = observe(before, observation, { ...rules, alertChats });
      watches.set(name, outcome.watch);
      changed.set(name, outcome.watch);
      for (const ended of outcome.ended) {
        logger.info({ instance: name, incident: ended.kind }, "incident ended");
        const link =
          ended.kind === "down"
            ? await this.linkOf(name, ended.incident.since, outcome.watch)
            : undefined;
        dirty.push(
          ...(await this.updateItems(name, ended.kind, ended.incident, endItem(ended, link))),
        );
      }
      dirty.push(...(await this.lateLink(name, outcome.watch, observation.at)));
      dirty.push(...(await this.maybeAutoReboot(name, outcome.watch, rules)));
      for (const kind of ["down", "unreachable"] as const) {
        const incident = outcome.watch[kind];
        const chats = rules.escalationChats ?? [];
        if (!incident || !escalationDue(incident, observation.at, rules)) continue;
        const claimedBy = await this.deps.claims
          ?.claimedBy(name, incident.since)
          .catch(() => undefined);
        if (claimedBy) {
          incident.claimedBy = claimedBy;
          continue;
        }
        incident.escalatedAt = observation.at;
        const told = new Set([...incident.unsent, ...incident.messages.map((m) => m.chatId)]);
        incident.unsent.push(...chats.filter((chatId) => !told.has(chatId)));
        logger.info({ instance: name, incident: kind }, "incident escalated");
      }
      if (outcome.restated) {
        const state = outcome.restated.state;
        dirty.push(
          ...(await this.updateItems(name, "down", outcome.restated, (item) => ({
            ...item,
            state,
          }))),
        );
      }
      logOpened(logger, name, before, outcome.watch);
    }
    await store.saveWatches(changed);
    await store.markDirty(dirty);
    await this.sendPending(watches, gather);
    await this.flushEdits();
    await this.refreshPhones(observations);
  }

  /** Instances seen authorized: their numbers refreshed (at most once a day each, inside). */
  private async refreshPhones(
    observations: ReadonlyArray<readonly [string, Observation]>,
  ): Promise<void> {
    const phones = this.deps.phones;
    if (!phones) return;
    await Promise.all(
      observations.flatMap(([name, observation]) => {
        const instance = this.deps.instances.find(name);
        if (observation.kind !== "state" || observation.state !== "authorized" || !instance)
          return [];
        return [phones.refresh(instance).catch(() => undefined)];
      }),
    );
  }

  /** Who linked the instance since the incident began (greenlight's own QR or code), if known. */
  private async linkOf(name: string, since: number, watch: InstanceWatch) {
    const link = await this.deps.links?.linkedSince(name, since).catch(() => undefined);
    if (link && watch.lastEnded) watch.lastEnded.linked = true;
    return link;
  }

  /**
   * The watcher may see the login before the QR session or the code watcher has said who made
   * it: for a few minutes after an incident ended, its alert still gets "linked by".
   */
  private async lateLink(name: string, watch: InstanceWatch, at: number): Promise<MessageRef[]> {
    const last = watch.lastEnded;
    if (!last) return [];
    if (last.linked || at - last.at > LINK_NOTE_WINDOW_MS) {
      watch.lastEnded = undefined;
      return [];
    }
    const link = await this.linkOf(name, last.since, watch);
    if (!link) return [];
    watch.lastEnded = undefined;
    return this.rewriteItems(
      last.messages,
      (item) => item.kind === "down" && item.instance === name && item.endedAt === last.at,
      (item) => ({
        ...item,
        linkedBy: link.by,
        endedAt: Math.min(item.endedAt ?? link.at, link.at),
      }),
    );
  }

  /** AUTO_REBOOT_STARTING: once per incident, audited by the rebooter, said on the alert. */
  private async maybeAutoReboot(
    name: string,
    watch: InstanceWatch,
    rules: AlertRules,
  ): Promise<MessageRef[]> {
    const incident = watch.down;
    const instance = this.deps.instances.find(name);
    const rebooter = this.deps.rebooter;
    if (!incident || !instance || !rebooter || !autoRebootDue(watch, rules)) return [];
    const at = Date.now();
    // Marked before the call: whatever GREEN-API answers, the watcher does not try again.
    incident.autoRebootAt = at;
    const ok = await rebooter.reboot(instance).catch(() => false);
    this.deps.logger.info({ instance: name, ok }, "instance stuck starting: rebooted it");
    if (!ok) incident.autoRebootFailed = true;
    return this.updateItems(name, "down", incident, (item) => ({
      ...item,
      autoRebootAt: at,
      ...(ok ? {} : { autoRebootFailed: true }),
    }));
  }

  /** Rewrites the matching items of these messages; returns the messages to re-render. */
  private async rewriteItems(
    refs: readonly MessageRef[],
    match: (item: AlertItem) => boolean,
    update: (item: AlertItem) => AlertItem,
  ): Promise<MessageRef[]> {
    const touched: MessageRef[] = [];
    for (const ref of refs) {
      const message = await this.deps.store.message(ref);
      if (!message || !message.items.some(match)) continue;
      const items = message.items.map((item) => (match(item) ? update(item) : item));
      await this.deps.store.saveMessage({ ...message, items });
      touched.push(ref);
    }
    return touched;
  }

  /** Rewrites this incident's line in each message that shows it; returns the messages to re-render. */
  private async updateItems(
    instance: string,
    kind: IncidentKind,
    incident: Incident,
    update: (item: AlertItem) => AlertItem,
  ): Promise<MessageRef[]> {
    const touched: MessageRef[] = [];
    for (const ref of incident.messages) {
      const message = await this.deps.store.message(ref);
      if (!message) continue;
      const items = message.items.map((item) =>
        item.kind === kind && item.instance === instance && item.endedAt === undefined
          ? update(item)
          : item,
      );
      await this.deps.store.saveMessage({ ...message, items });
      touched.push(ref);
    }
    return touched;
  }

  private buttonsIn(chatId: number): (instance: string) => boolean {
    const actionable = this.deps.actionable;
    return actionable ? (instance) => actionable(chatId, instance) : () => true;
  }

  /** One message per chat for every incident not yet told there, unless its instance is muted. */
  private async sendPending(watches: Watches, gather: boolean): Promise<void> {
    const { store, channel, logger } = this.deps;
    const muted = await this.deps.mutes.all();
    const byChat = new Map<
      number,
      Array<{ name: string; kind: IncidentKind; incident: Incident }>
    >();
    for (const [name, watch] of watches) {
      if (!watch || muted.has(name)) continue;
      for (const kind of ["down", "unreachable"] as const) {
        const incident = watch[kind];
        if (!incident) continue;
        for (const chatId of incident.unsent) {
          const list = byChat.get(chatId) ?? [];
          list.push({ name, kind, incident });
          byChat.set(chatId, list);
        }
      }
    }
    // Early warnings (phone offline for days), in the same one message per chat.
    const warnings = new Map<number, AlertItem[]>();
    const warned = new Map<string, InstanceWatch>();
    for (const [name, watch] of watches) {
      const offline = watch?.offline;
      if (!watch || !offline || offline.unsent.length === 0) continue;
      // Muted: the warning is dropped, not held (a later threshold still warns).
      if (!muted.has(name)) {
        const item: AlertItem = {
          kind: "offline",
          instance: name,
          since: offline.since,
          initial: false,
          offlineForMs: Math.max(...offline.warned),
        };
        for (const chatId of offline.unsent) {
          warnings.set(chatId, [...(warnings.get(chatId) ?? []), item]);
          if (!byChat.has(chatId)) byChat.set(chatId, []);
        }
      }
      offline.unsent = [];
      warned.set(name, watch);
    }
    await store.saveWatches(warned);
    const phones = await this.knownPhones(byChat);
    for (const [chatId, entries] of byChat) {
      const items: AlertItem[] = entries.map(({ name, kind, incident }) => ({
        kind,
        instance: name,
        state: incident.state,
        since: incident.since,
        initial: incident.initial,
        ...(kind === "down" && incident.state === "notAuthorized" && phones.get(name)
          ? { phone: phones.get(name)?.phone }
          : {}),
        ...(incident.autoRebootAt ? { autoRebootAt: incident.autoRebootAt } : {}),
        ...(incident.autoRebootFailed ? { autoRebootFailed: true } : {}),
        ...(incident.claimedBy ? { claimedBy: incident.claimedBy } : {}),
      }));
      items.push(...(warnings.get(chatId) ?? []));
      let ref: MessageRef | undefined = await this.joinDigest(chatId, items);
      // Early warnings were taken off their incidents above: they go out now, not after a gathering.
      const gathering = gather && !warnings.has(chatId);
      if (!ref && gathering && !(await this.gathered(chatId))) continue;
      const sent = ref
        ? ({ kind: "joined" } as const)
        : await channel.send(chatId, items, this.buttonsIn(chatId));
      if (sent.kind === "joined") {
        for (const item of items) this.deps.counters?.alertSent(item.kind);
        logger.info({ chatId, instances: items.length }, "alert joined the chat's digest");
      } else if (sent.kind === "sent") {
        ref = sent.ref;
        await store.saveMessage({ ...ref, items });
        if (this.deps.digests) {
          const now = Date.now();
          await this.deps.digests.save({ ...ref, changedAt: now, editedAt: now });
        }
        for (const item of items) this.deps.counters?.alertSent(item.kind);
        logger.info({ chatId, instances: items.map((i) => i.instance) }, "alert sent");
      } else {
        logger.warn(
          { chatId, outcome: sent.kind, reason: "description" in sent ? sent.description : "" },
          "could not send an alert",
        );
        // A chat that is gone for good (bot blocked or kicked) is not retried every run.
        if (sent.kind !== "gone") continue;
      }
      const updated = new Map<string, InstanceWatch>();
      for (const { name, incident } of entries) {
        incident.unsent = incident.unsent.filter((id) => id !== chatId);
        if (ref) incident.messages.push(ref);
        const watch = watches.get(name);
        if (watch) updated.set(name, watch);
      }
      await store.saveWatches(updated);
    }
  }

  private async knownPhones(byChat: ReadonlyMap<number, ReadonlyArray<{ name: string }>>) {
    const names = [...new Set([...byChat.values()].flat().map((entry) => entry.name))];
    if (!this.deps.phones || names.length === 0) return new Map<string, { phone: string }>();
    return this.deps.phones.many(names).catch(() => new Map<string, { phone: string }>());
  }

  /**
   * A mass incident under way in this chat (digest.ts): the new items join its message, which is
   * marked for an edit; undefined when they go out as a new message instead.
   */
  private async joinDigest(chatId: number, items: AlertItem[]): Promise<MessageRef | undefined> {
    const digests = this.deps.digests;
    if (!digests) return undefined;
    const digest = await digests.of(chatId);
    const message = digest && (await this.deps.store.message(digest));
    const now = Date.now();
    if (!digest || !message || !joinsDigest(digest, message, items.length, now)) return undefined;
    const ref = { chatId: digest.chatId, messageId: digest.messageId };
    await this.deps.store.saveMessage({ ...message, items: joinItems(message.items, items) });
    await this.deps.store.markDirty([ref]);
    await digests.save({ ...digest, changedAt: now });
    return ref;
  }

  /** Whether this chat's new alerts have waited their gathering time (then: the next one starts). */
  private async gathered(chatId: number): Promise<boolean> {
    const { digests, gatherMs } = this.deps;
    if (!digests || !gatherMs) return true;
    const now = Date.now();
    if (now < (await digests.gatherUntil(chatId, now, gatherMs))) return false;
    await digests.gathered(chatId);
    return true;
  }

  /** An alert whose message is gone, sent again; its incidents point at the new message. */
  private async resend(gone: MessageRef, items: readonly AlertItem[]): Promise<void> {
    const { store, channel, logger } = this.deps;
    const sent = await channel.send(gone.chatId, items, this.buttonsIn(gone.chatId));
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
      for (const kind of ["down", "unreachable"] as const) {
        const incident = watch[kind];
        if (!incident) continue;
        incident.messages = incident.messages.map((ref) => (sameRef(ref, gone) ? fresh : ref));
      }
      updated.set(name, watch);
    }
    await store.saveWatches(updated);
    logger.info({ ...gone, messageId: fresh.messageId }, "alert message gone; sent it again");
  }

  /** Re-renders out-of-date alert messages, a few per run, holding back a chat that hit 429. */
  private async flushEdits(): Promise<void> {
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
      // A chat's digest (a mass alert) is edited at most every few seconds; it stays dirty until
      // its turn, which a later watch run takes (shard jobs bring one every interval ÷ shards).
      const digest = await this.deps.digests?.of(ref.chatId);
      const isDigest =
        digest !== undefined && sameRef(digest, ref) && message.items.length >= DIGEST_MIN_ITEMS;
      if (isDigest && !digestEditDue(digest, Date.now())) continue;
      edits += 1;
      if (isDigest) await this.deps.digests?.save({ ...digest, editedAt: Date.now() });
      const outcome = await channel.edit(ref, message.items, this.buttonsIn(ref.chatId));
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
}

function endItem(
  ended: EndedIncident,
  link?: { by: string; at: number },
): (item: AlertItem) => AlertItem {
  // A link greenlight saw ends the outage when it happened, not when the watcher noticed.
  return (item) =>
    link
      ? { ...item, endedAt: Math.min(ended.at, Math.max(link.at, item.since)), linkedBy: link.by }
      : { ...item, endedAt: ended.at };
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

const sameRef = (a: MessageRef, b: MessageRef) =>
  a.chatId === b.chatId && a.messageId === b.messageId;
