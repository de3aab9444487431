import type { InstanceSettings, SettingsPatch } from "../green-api/schemas.js";

/**
 * What /webhook on and off decide, pure: what to set, what to keep, what to restore, and when a
 * second confirmation is needed. The service (webhook-setup.ts) makes the calls around it.
 */

/** What the instance had before /webhook on: restored exactly by /webhook off. */
export interface OriginalSettings {
  webhookUrl: string;
  webhookUrlToken: string;
  /** As GREEN-API answered it ("yes", "no"); absent when it did not say. */
  stateWebhook?: string;
}

/** What greenlight keeps per instance while its webhook points at greenlight. */
export interface SetupRecord {
  original: OriginalSettings;
  /** Where the relay forwards the instance's notifications: the application's URL and token. */
  forward?: { url: string; token?: string };
  /** greenlight turned stateWebhook on (its alerts need it); off restores the original. */
  turnedStateWebhookOn: boolean;
  switchedAt: number;
  userId: number;
}

export type OnPlan =
  /** The instance's webhook already points at greenlight: nothing to keep, nothing to set. */
  | { kind: "already-on" }
  | {
      kind: "switch";
      original: OriginalSettings;
      patch: SettingsPatch;
      turnsStateWebhookOn: boolean;
      /**
       * No webhook URL today: an application may be polling (ReceiveNotification), which works
       * only while webhookUrl is empty (GREEN-API docs), so it would stop getting notifications.
       */
      pollingWarning: boolean;
    };

/** Two URLs that differ only by a trailing slash or surrounding space are the same. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (url: string) => url.trim().replace(/\/+$/, "");
  return norm(a) === norm(b) && norm(a) !== "";
}

/**
 * /webhook on: point the instance at greenlight with its own token, keep what it had (as the
 * original and as the forward target), leave every other switch as the application set it, and
 * turn stateWebhook on when it is off (greenlight's alerts read state notifications).
 */
export function planSwitchOn(
  current: InstanceSettings,
  greenlight: { url: string; token: string },
): OnPlan {
  if (sameUrl(current.webhookUrl, greenlight.url)) return { kind: "already-on" };
  const turnsStateWebhookOn = current.stateWebhook !== "yes";
  return {
    kind: "switch",
    original: {
      webhookUrl: current.webhookUrl,
      webhookUrlToken: current.webhookUrlToken,
      ...(current.stateWebhook === undefined ? {} : { stateWebhook: current.stateWebhook }),
    },
    patch: {
      webhookUrl: greenlight.url,
      webhookUrlToken: greenlight.token,
      ...(turnsStateWebhookOn ? { stateWebhook: "yes" } : {}),
    },
    turnsStateWebhookOn,
    pollingWarning: current.webhookUrl.trim() === "",
  };
}

/** The second confirmation: asked when the instance has no webhook URL today. */
export function needsSecondConfirmation(plan: OnPlan): boolean {
  return plan.kind === "switch" && plan.pollingWarning;
}

/** The record /webhook on stores: the original, and the forward target when there is one. */
export function recordOf(
  plan: Extract<OnPlan, { kind: "switch" }>,
  at: number,
  userId: number,
): SetupRecord {
  const { original } = plan;
  const url = original.webhookUrl.trim();
  const token = original.webhookUrlToken;
  return {
    original,
    ...(url === "" ? {} : { forward: token === "" ? { url } : { url, token } }),
    turnedStateWebhookOn: plan.turnsStateWebhookOn,
    switchedAt: at,
    userId,
  };
}

export type OffPlan =
  /** greenlight never switched this instance on (or already switched it off). */
  | { kind: "not-on" }
  /**
   * The instance now points somewhere that is neither greenlight nor what it had: someone set a
   * new URL since. Restoring would overwrite it, so nothing is set.
   */
  | { kind: "changed-since" }
  | { kind: "restore"; patch: SettingsPatch };

/**
 * /webhook off: the URL and token exactly as they were, and stateWebhook back to what it was when
 * greenlight turned it on ("no" when GREEN-API had not said: a new instance's default).
 * `current` is undefined when it could not be read: the restore goes ahead.
 */
export function planSwitchOff(
  record: SetupRecord | undefined,
  current: InstanceSettings | undefined,
  greenlightUrl: string,
): OffPlan {
  if (!record) return { kind: "not-on" };
  const { original } = record;
  if (
    current &&
    current.webhookUrl.trim() !== "" &&
    !sameUrl(current.webhookUrl, greenlightUrl) &&
    !sameUrl(current.webhookUrl, original.webhookUrl)
  )
    return { kind: "changed-since" };
  return {
    kind: "restore",
    patch: {
      webhookUrl: original.webhookUrl,
      webhookUrlToken: original.webhookUrlToken,
      ...(record.turnedStateWebhookOn ? { stateWebhook: original.stateWebhook ?? "no" } : {}),
    },
  };
}

/**
 * A failed setSettings that may still have reached GREEN-API (no answer, or an answer we could
 * not read): the record is kept so that /webhook off can still restore the original.
 */
export function mayHaveApplied(reason: string): boolean {
  return ["timeout", "network", "server-error", "invalid-answer", "failed"].includes(reason);
}
