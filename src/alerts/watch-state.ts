import { z } from "zod";
import { stateInstanceSchema } from "../green-api/schemas.js";

/**
 * What the watcher remembers per instance between runs (Redis, JSON), and per alert message it
 * sent. Both are parsed back through these schemas: a record of an older shape is dropped, not
 * trusted.
 */

const messageRefSchema = z.object({
  chatId: z.number().int(),
  messageId: z.number().int(),
});
export type MessageRef = z.infer<typeof messageRefSchema>;

/** An open problem of one instance: it is down, or GREEN-API cannot be reached for it. */
const incidentSchema = z.object({
  /** For "down": the bad state; updated while the incident stays open. */
  state: stateInstanceSchema.optional(),
  since: z.number().int(),
  /** Opened on the very first check of the instance: reported in the start-up summary. */
  initial: z.boolean().default(false),
  /** Alert chats still to be told (a send failed, or the instance is muted). */
  unsent: z.array(z.number().int()),
  /** The alert messages that show this incident: edited when it ends. */
  messages: z.array(messageRefSchema),
  /** AUTO_REBOOT_STARTING rebooted the instance for this incident (once per incident). */
  autoRebootAt: z.number().int().optional(),
  autoRebootFailed: z.boolean().optional(),
  /** Who pressed "I'm on it" (their first name), so nobody else starts on it too. */
  claimedBy: z.string().max(64).optional(),
  /** Re-sent to ESCALATION_CHAT_IDS (once per incident). */
  escalatedAt: z.number().int().optional(),
  /** For "stuck": messages in GREEN-API's send queue, and how long they had waited, when opened. */
  queued: z.number().int().nonnegative().optional(),
  waitedMs: z.number().int().nonnegative().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

/**
 * down: a bad state; unreachable: GREEN-API does not answer; stuck: authorized, yet the send
 * queue does not move (stuck-queue.ts).
 */
export const INCIDENT_KINDS = ["down", "unreachable", "stuck"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const instanceWatchSchema = z.object({
  /** The last state GREEN-API reported (poll or webhook). */
  state: stateInstanceSchema.optional(),
  checkedAt: z.number().int().optional(),
  /** A bad state seen but not yet trusted: it must hold for a second check (flapping). */
  suspect: z
    .object({ state: stateInstanceSchema, since: z.number().int(), checks: z.number().int() })
    .optional(),
  /** Consecutive checks that got no answer (timeouts, 5xx, network). */
  failures: z.number().int().default(0),
  failingSince: z.number().int().optional(),
  down: incidentSchema.optional(),
  unreachable: incidentSchema.optional(),
  stuck: incidentSchema.optional(),
  /**
   * GREEN-API's send queue while authorized (stuck-queue.ts): its size and first id when last
   * read, and since when it has been non-empty without moving.
   */
  queue: z
    .object({
      size: z.number().int().nonnegative(),
      head: z.string().max(128).optional(),
      since: z.number().int(),
    })
    .optional(),
  /**
   * When the phone was last seen sending a message (an outgoingMessageReceived webhook): the
   * only sign of the phone itself GREEN-API gives. Unset: greenlight has never seen it.
   */
  phoneSeenAt: z.number().int().optional(),
  /**
   * The stretch since the phone was last seen (`since` = phoneSeenAt) and which early warnings
   * (days thresholds) have been sent for it: WhatsApp unlinks after about 14 days offline.
   */
  offline: z
    .object({
      since: z.number().int(),
      warned: z.array(z.number()),
      unsent: z.array(z.number().int()).default([]),
    })
    .optional(),
  /** The last down incident that ended, for a while: who linked it is told when known. */
  lastEnded: z
    .object({
      since: z.number().int(),
      at: z.number().int(),
      messages: z.array(messageRefSchema),
      linked: z.boolean().default(false),
    })
    .optional(),
});
export type InstanceWatch = z.infer<typeof instanceWatchSchema>;

/** What one line of an alert message is about: an incident, or an early warning (phone offline). */
const alertItemKinds = [...INCIDENT_KINDS, "offline"] as const;

const alertItemSchema = z.object({
  kind: z.enum(alertItemKinds),
  instance: z.string(),
  state: stateInstanceSchema.optional(),
  since: z.number().int(),
  initial: z.boolean().default(false),
  endedAt: z.number().int().optional(),
  /** The instance's last known number (digits), for the one-tap "Code to +7 900 ···67". */
  phone: z.string().optional(),
  /** The incident was ended by someone linking it: their first name. */
  linkedBy: z.string().max(64).optional(),
  /** When AUTO_REBOOT_STARTING rebooted it (or tried: autoRebootFailed). */
  autoRebootAt: z.number().int().optional(),
  autoRebootFailed: z.boolean().optional(),
  claimedBy: z.string().max(64).optional(),
  /** An "offline" warning: the threshold it crossed (ms offline). */
  offlineForMs: z.number().int().optional(),
  /** A "stuck" queue: its size and how long its messages had waited when the alert opened. */
  queued: z.number().int().nonnegative().optional(),
  waitedMs: z.number().int().nonnegative().optional(),
});
export type AlertItem = z.infer<typeof alertItemSchema>;

/** One alert message as sent, and how its items stand now: the message is re-rendered from it. */
export const alertMessageSchema = z.object({
  chatId: z.number().int(),
  messageId: z.number().int(),
  items: z.array(alertItemSchema).min(1),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

export function parseJson<T>(schema: z.ZodType<T>, raw: string | null | undefined): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
