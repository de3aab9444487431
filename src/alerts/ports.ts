import type { Instance } from "../config/index.js";
import type { MessageRef, ScreenOutcome } from "../shared/screen.js";
import type { Outcome } from "./transitions.js";
import type { AlertItem, InstanceWatch } from "./watch-state.js";

export type { MessageRef, ScreenOutcome } from "../shared/screen.js";

/**
 * Where alerts are shown: one message per chat listing its items, re-drawn from the items on
 * every edit (telegram/alert-channel.ts). `actionable` says which instances' fix buttons the
 * chat's readers may use.
 */
export interface AlertChannel {
  send(
    chatId: number,
    items: readonly AlertItem[],
    actionable: (instance: string) => boolean,
  ): Promise<{ kind: "sent"; ref: MessageRef } | Exclude<ScreenOutcome, { kind: "done" }>>;
  edit(
    ref: MessageRef,
    items: readonly AlertItem[],
    actionable: (instance: string) => boolean,
  ): Promise<ScreenOutcome>;
}

/** What the dispatcher counts (app/ wires observability's Metrics in). */
export interface AlertCounters {
  alertSent(kind: AlertItem["kind"]): void;
}

/** Each instance's last known phone number (pairing/known-phones.ts implements it). */
export interface AlertPhones {
  /** The watcher saw the instance authorized: refresh its number (rate-limited inside). */
  refresh(instance: Instance): Promise<unknown>;
  many(instances: readonly string[]): Promise<Map<string, { phone: string }>>;
}

/** Who linked an instance through greenlight (a QR scan or a pairing code), and when. */
export interface LinkRecord {
  /** The first name of whoever started the QR session or asked for the code. */
  by: string;
  at: number;
  phone?: string;
}

export interface AlertLinks {
  /** The last link of the instance at or after `since`, if greenlight saw one. */
  linkedSince(instance: string, since: number): Promise<LinkRecord | undefined>;
}

/** AUTO_REBOOT_STARTING's reboot of an instance stuck starting (green-api/client.ts). */
export interface InstanceRebooter {
  /** True when GREEN-API said it reboots. */
  reboot(instance: Instance): Promise<boolean>;
}

/** Where the watcher's own actions go on record, like an operator's (audit/audit-log.ts). */
export interface AlertAuditTrail {
  record(entry: {
    action: "reboot";
    userId: number;
    chatId: number;
    instance: string;
    result: string;
  }): Promise<void>;
}

/** "I'm on it" presses (claims.ts): a claimed incident is not escalated. */
export interface IncidentClaims {
  claimedBy(instance: string, since: number): Promise<string | undefined>;
}

/**
 * The incident history (history/recorder.ts): told, after each `observe` and its follow-ups, what
 * the observation opened and ended; and of every watch run (greenlight was watching then).
 */
export interface IncidentHistory {
  observed(instance: string, before: InstanceWatch | undefined, outcome: Outcome): Promise<void>;
  watchRun(at: number): Promise<void>;
}
