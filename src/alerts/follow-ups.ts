import type { InstanceRegistry } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import type { AlertStore } from "./alert-store.js";
import { endItem, linkedEnd, rewriteItems, updateIncidentItems } from "./message-items.js";
import type {
  AlertAuditTrail,
  AlertLinks,
  IncidentClaims,
  InstanceRebooter,
  LinkRecord,
} from "./ports.js";
import {
  type AlertRules,
  autoRebootDue,
  escalationDue,
  LINK_NOTE_WINDOW_MS,
  type Outcome,
} from "./transitions.js";
import { INCIDENT_KINDS, type InstanceWatch, type MessageRef } from "./watch-state.js";

/** The audit log's user and chat for what greenlight does by itself. */
const GREENLIGHT_ITSELF = 0;

export interface FollowUpsDeps {
  store: AlertStore;
  instances: InstanceRegistry;
  rules: AlertRules;
  /** Who linked an instance, for "✅ shop linked by Ivan at 03:12". */
  links: AlertLinks;
  claims: IncidentClaims;
  /** Used only when `rules.autoRebootStarting` is on. */
  rebooter: InstanceRebooter;
  audit: AlertAuditTrail;
  logger: Logger;
}

/**
 * What the watcher does after `observe` decided (transitions.ts): closure notes on ended
 * incidents ("linked by Ivan"), the audited AUTO_REBOOT_STARTING reboot, escalation of an
 * incident nobody claimed. Each changes the watch record in place and returns the alert messages
 * whose text it changed (to be edited by the dispatcher).
 */
export class FollowUps {
  constructor(private readonly deps: FollowUpsDeps) {}

  /** All follow-ups of one observation of `name`, in the order the watcher always ran them. */
  async after(name: string, outcome: Outcome, at: number): Promise<MessageRef[]> {
    const { watch } = outcome;
    const dirty = [...(await this.closureNotes(name, outcome))];
    dirty.push(...(await this.lateLink(name, watch, at)));
    dirty.push(...(await this.autoReboot(name, watch)));
    await this.escalate(name, watch, at);
    if (outcome.restated) {
      const state = outcome.restated.state;
      const restated = outcome.restated;
      dirty.push(
        ...(await updateIncidentItems(this.deps.store, name, "down", restated, (item) => ({
          ...item,
          state,
        }))),
      );
    }
    return dirty;
  }

  /** Ended incidents: their lines say when, and who linked the instance if greenlight saw it. */
  private async closureNotes(name: string, outcome: Outcome): Promise<MessageRef[]> {
    const dirty: MessageRef[] = [];
    for (const ended of outcome.ended) {
      this.deps.logger.info({ instance: name, incident: ended.kind }, "incident ended");
      const link =
        ended.kind === "down"
          ? await this.linkOf(name, ended.incident.since, outcome.watch)
          : undefined;
      const end = endItem(ended, link);
      dirty.push(
        ...(await updateIncidentItems(this.deps.store, name, ended.kind, ended.incident, end)),
      );
    }
    return dirty;
  }

  /** Who linked the instance since the incident began (greenlight's own QR or code), if known. */
  private async linkOf(
    name: string,
    since: number,
    watch: InstanceWatch,
  ): Promise<LinkRecord | undefined> {
    const link = await this.deps.links.linkedSince(name, since).catch(() => undefined);
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
    return rewriteItems(
      this.deps.store,
      last.messages,
      (item) => item.kind === "down" && item.instance === name && item.endedAt === last.at,
      (item) => ({ ...item, linkedBy: link.by, endedAt: linkedEnd(item, link) }),
    );
  }

  /** AUTO_REBOOT_STARTING: once per incident, on the audit log, said on the alert. */
  private async autoReboot(name: string, watch: InstanceWatch): Promise<MessageRef[]> {
    const incident = watch.down;
    const instance = this.deps.instances.find(name);
    if (!incident || !instance || !autoRebootDue(watch, this.deps.rules)) return [];
    const at = Date.now();
    // Marked before the call: whatever GREEN-API answers, the watcher does not try again.
    incident.autoRebootAt = at;
    const ok = await this.deps.rebooter.reboot(instance).catch(() => false);
    await this.deps.audit.record({
      action: "reboot",
      userId: GREENLIGHT_ITSELF,
      chatId: GREENLIGHT_ITSELF,
      instance: name,
      result: ok ? "auto: stuck starting" : "auto: failed",
    });
    this.deps.logger.info({ instance: name, ok }, "instance stuck starting: rebooted it");
    if (!ok) incident.autoRebootFailed = true;
    return updateIncidentItems(this.deps.store, name, "down", incident, (item) => ({
      ...item,
      autoRebootAt: at,
      ...(ok ? {} : { autoRebootFailed: true }),
    }));
  }

  /**
   * ESCALATE_AFTER_MS: an incident nobody claimed goes to ESCALATION_CHAT_IDS too (its chats
   * join `unsent`; the dispatcher tells them). A claim found now is put on the incident instead.
   */
  private async escalate(name: string, watch: InstanceWatch, at: number): Promise<void> {
    const { rules, logger } = this.deps;
    for (const kind of INCIDENT_KINDS) {
      const incident = watch[kind];
      const chats = rules.escalationChats ?? [];
      if (!incident || !escalationDue(incident, at, rules)) continue;
      const claimedBy = await this.deps.claims
        .claimedBy(name, incident.since)
        .catch(() => undefined);
      if (claimedBy) {
        incident.claimedBy = claimedBy;
        continue;
      }
      incident.escalatedAt = at;
      const told = new Set([...incident.unsent, ...incident.messages.map((m) => m.chatId)]);
      incident.unsent.push(...chats.filter((chatId) => !told.has(chatId)));
      logger.info({ instance: name, incident: kind }, "incident escalated");
    }
  }
}
