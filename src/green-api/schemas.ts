import { z } from "zod";

/** Answers of the GREEN-API account methods greenlight uses (green-api.com/en/docs/api/account). */

export const qrAnswerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("qrCode"), message: z.string().min(1) }),
  z.object({ type: z.literal("error"), message: z.string() }),
  z.object({ type: z.literal("alreadyLogged"), message: z.string().optional() }),
]);
export type QrAnswer = z.infer<typeof qrAnswerSchema>;

/**
 * The states GREEN-API documents (green-api.com/en/docs/api/account/GetStateInstance; `suspended`
 * from its Telegram-instance docs). GREEN-API adds values now and then (`pendingPassword` exists
 * on Telegram instances), so any other string is read too, never refused: an answer must not turn
 * into "cannot reach GREEN-API" because of one new word.
 */
export const KNOWN_STATES = [
  "notAuthorized",
  "authorized",
  "blocked",
  "sleepMode",
  "starting",
  "yellowCard",
  "suspended",
] as const;
export type KnownStateInstance = (typeof KNOWN_STATES)[number];
/** A documented state, or any other value GREEN-API sent (shown as "unknown state «X»"). */
export type StateInstance = KnownStateInstance | (string & {});

const knownStates: ReadonlySet<string> = new Set(KNOWN_STATES);
export const isKnownState = (state: string): state is KnownStateInstance => knownStates.has(state);

/** Longest undocumented value kept: it ends up in chat (escaped) and in Redis. */
const MAX_STATE_LENGTH = 64;

/**
 * Any non-empty string; an undocumented one is kept printable and short (control characters
 * become "?"), since it is shown to operators as it came.
 */
export const stateInstanceSchema = z
  .string()
  .min(1)
  .max(1_000)
  .transform((state): StateInstance =>
    state.replace(/[\u0000-\u001f\u007f]/g, "?").slice(0, MAX_STATE_LENGTH),
  );

/** The body can be `null` while an instance is being created: treat that as starting. */
export const getStateInstanceSchema = z
  .object({ stateInstance: stateInstanceSchema })
  .nullable()
  .transform((answer) => answer?.stateInstance ?? "starting");

export const waSettingsSchema = z.object({
  phone: z.string().optional().default(""),
  stateInstance: stateInstanceSchema.optional(),
});
export type WaSettings = z.infer<typeof waSettingsSchema>;

/**
 * One entry of getStateInstanceHistory. `phoneNumber` is an integer by the docs' table and a
 * string ("79636191168@c.us") in their example (green-api.com/en/docs/api/account/
 * GetStateInstanceHistory): both are read, as a string.
 */
const stateHistoryEntrySchema = z.object({
  stateInstance: z.string().min(1).max(64),
  timestamp: z.number().nonnegative(),
  phoneNumber: z
    .union([z.string().max(64), z.number()])
    .nullish()
    .transform((phone) => (phone === null || phone === undefined ? undefined : String(phone))),
});

/** Entries are read one by one: an odd one is dropped, never the whole history. */
export const stateHistorySchema = z
  .array(z.unknown())
  .nullable()
  .transform((entries) =>
    (entries ?? []).flatMap((entry) => {
      const parsed = stateHistoryEntrySchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    }),
  );
export type StateHistory = z.output<typeof stateHistorySchema>;

export const logoutSchema = z.object({ isLogout: z.boolean() });
export const rebootSchema = z.object({ isReboot: z.boolean() });

/**
 * `{status, code}`; what GREEN-API says with `status: false` is not documented: a `message` is read
 * when there is one ("Instance has auth. You need to make log out", as `qr` says it).
 */
export const authorizationCodeSchema = z.object({
  status: z.boolean(),
  code: z.string(),
  message: z.string().max(500).optional(),
});
export type AuthorizationCode = z.infer<typeof authorizationCodeSchema>;

/** The documented text of the one `qr` error that has a fix: log out, then scan again. */
export const NEEDS_LOGOUT_MESSAGE = "Instance has auth. You need to make log out";

export function isNeedsLogout(answer: QrAnswer): boolean {
  return answer.type === "error" && answer.message.toLowerCase().includes("make log out");
}

/**
 * showMessagesQueue: the messages waiting to be sent (kept 24 h; the first 500). Only the count
 * and the ids are read: bodies are customers' messages and are never parsed or logged. The WhatsApp
 * docs name the id `messageID`; other variants of the page say `idMessage`: both are read.
 */
export const messagesQueueSchema = z
  .array(
    z
      .object({
        messageID: z.string().max(128).optional(),
        idMessage: z.string().max(128).optional(),
      })
      .passthrough()
      .transform((entry) => ({ id: entry.messageID ?? entry.idMessage })),
  )
  .nullable()
  .transform((list) => list ?? []);
export type MessagesQueue = z.infer<typeof messagesQueueSchema>;

/**
 * getSettings (green-api.com/en/docs/api/account/GetSettings): only what /webhook reads. Every
 * field is optional: a new instance's settings are "disabled" by default and GREEN-API has been
 * seen answering stale settings on new instances (green-api/issues#860). The `…Webhook` switches
 * are "yes" / "no"; any other string is kept as it came (it is restored as it came).
 */
export const instanceSettingsSchema = z.looseObject({
  webhookUrl: z
    .string()
    .max(2048)
    .nullish()
    .transform((url) => url ?? ""),
  webhookUrlToken: z
    .string()
    .max(1024)
    .nullish()
    .transform((token) => token ?? ""),
  stateWebhook: z.string().max(16).optional(),
  incomingWebhook: z.string().max(16).optional(),
  outgoingWebhook: z.string().max(16).optional(),
  outgoingMessageWebhook: z.string().max(16).optional(),
  outgoingAPIMessageWebhook: z.string().max(16).optional(),
});
export type InstanceSettings = Pick<
  z.output<typeof instanceSettingsSchema>,
  | "webhookUrl"
  | "webhookUrlToken"
  | "stateWebhook"
  | "incomingWebhook"
  | "outgoingWebhook"
  | "outgoingMessageWebhook"
  | "outgoingAPIMessageWebhook"
>;

/**
 * What setSettings is given: any subset (the docs: "at least one parameter"); what is left out
 * stays as it is.
 */
export interface SettingsPatch {
  webhookUrl?: string;
  webhookUrlToken?: string;
  stateWebhook?: string;
}

/** setSettings answers `{saveSettings: true}`; it reboots the instance, settings apply within 5 min. */
export const setSettingsSchema = z.object({ saveSettings: z.boolean() });
