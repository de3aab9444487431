import type { Instance } from "../config/index.js";
import type { InstanceSettings, SettingsPatch } from "../green-api/schemas.js";

/** The two GREEN-API calls /webhook makes (green-api/client.ts implements them). */
export interface SettingsCalls {
  getSettings(instance: Instance): Promise<InstanceSettings>;
  /** GREEN-API's `saveSettings`; the instance reboots and the settings apply within 5 minutes. */
  setSettings(instance: Instance, patch: SettingsPatch): Promise<boolean>;
}

/**
 * greenlight's own GREEN-API webhook: the URL every instance is pointed at (WEBHOOK_URL plus the
 * webhook's path) and each instance's own token (config/webhook-secrets.ts).
 */
export interface GreenlightWebhook {
  url: string;
  tokenOf(idInstance: string): string;
}

/** What the relay holds for an instance, not yet delivered to the customer's application. */
export interface Backlog {
  count: number;
  bytes: number;
  oldestAt?: number;
  /** Since when deliveries to the application fail; absent while they succeed. */
  failingSince?: number;
  deadLettered: number;
}

/** The relay's reader of its queues; /webhook shows the backlog only when one is connected. */
export interface RelayBacklog {
  backlogOf(idInstance: string): Promise<Backlog>;
}

/** Where each change is recorded (audit/audit-log.ts). */
export interface WebhookAudit {
  record(entry: {
    action: "webhook-on" | "webhook-off";
    userId: number;
    chatId: number;
    instance: string;
    result: string;
  }): Promise<void>;
}
