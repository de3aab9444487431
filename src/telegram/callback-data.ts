import { z } from "zod";
import { INSTANCE_NAME_PATTERN } from "../config/instances.js";

/**
 * Inline buttons carry a feature prefix, an action and an instance name, nothing else: never a
 * token, and never a session id a stranger could guess. The message a button sits on identifies
 * the session. Everything pressed is parsed back through a zod schema; anything else is a stale
 * or forged button and gets "no longer valid".
 */
function defineCallbacks<const Action extends string>(
  prefix: string,
  actions: readonly [Action, ...Action[]],
) {
  const schema = z.object({
    action: z.enum(actions),
    instance: z.string().regex(INSTANCE_NAME_PATTERN),
  });
  type Callback = z.infer<typeof schema>;
  return {
    actions,
    /** Matches every button of the feature, valid or not, so forged ones get an answer too. */
    pattern: new RegExp(`^${prefix}:`),
    encode: (callback: Callback): string => `${prefix}:${callback.action}:${callback.instance}`,
    decode: (data: string): Callback | undefined => {
      if (data.length > 64) return undefined;
      const [head, action, instance, ...rest] = data.split(":");
      if (head !== prefix || rest.length > 0) return undefined;
      const parsed = schema.safeParse({ action, instance });
      return parsed.success ? parsed.data : undefined;
    },
  };
}

/** QR session buttons (features/qr/). */
export const qrCallbacks = defineCallbacks("qr", [
  "start", // start a session in a new message (from an alert or a list)
  "cancel", // stop the running session
  "new", // start a fresh QR session on this message
  "logout", // ask to confirm a log out (then a fresh QR session)
  "logout-yes",
  "logout-no",
]);
export type QrCallback = NonNullable<ReturnType<typeof qrCallbacks.decode>>;
export type QrAction = QrCallback["action"];

/** Pairing-code buttons (features/code/). */
export const codeCallbacks = defineCallbacks("code", [
  "ask", // ask for the phone number, then request a code
  "new", // a new code for the phone number of this message
  "qr", // QR instead: start a QR session in a new message
  "logout", // the instance is authorized: ask to confirm a log out, then a code
  "logout-yes",
  "logout-no",
  "known", // a code for the instance's remembered phone number (an alert, /status): one tap
]);
export type CodeCallback = NonNullable<ReturnType<typeof codeCallbacks.decode>>;

// Kept for the QR feature and its tests.
export const encodeQrCallback = qrCallbacks.encode;
export const decodeQrCallback = qrCallbacks.decode;
export const qrActions = qrCallbacks.actions;
export const QR_CALLBACK_PATTERN = qrCallbacks.pattern;

/** /link's message (features/link/); the message identifies the link, never the button. */
export const linkCallbacks = defineCallbacks("link", [
  "revoke", // the link on this message dies now
  "new", // another link for the instance, in a new message
]);

/** Alert buttons that are about the incident itself (features/claim.ts). */
export const alertCallbacks = defineCallbacks("al", [
  "claim", // "I'm on it": everyone reading the alert sees who took it
]);

/**
 * /status buttons: Refresh (`st:refresh:_`, the first page or the live list; `st:refresh:3` keeps
 * page 3 of a fleet's list) and ◀ ▶ (`st:page:3`). No instance: the list is always the presser's.
 */
const statusSchema = z.object({
  action: z.enum(["refresh", "page"]),
  page: z.coerce.number().int().min(0).max(10_000),
});
export type StatusCallback = z.infer<typeof statusSchema>;
const WHOLE_LIST = "_";
export const statusCallbacks = {
  actions: ["refresh", "page"] as const,
  pattern: /^st:/,
  encode: (callback: StatusCallback): string =>
    `st:${callback.action}:${callback.action === "refresh" && callback.page === 0 ? WHOLE_LIST : callback.page}`,
  decode: (data: string): StatusCallback | undefined => {
    if (data.length > 64) return undefined;
    const [head, action, page, ...rest] = data.split(":");
    if (head !== "st" || rest.length > 0) return undefined;
    if (action === "refresh" && page === WHOLE_LIST) return { action, page: 0 };
    if (!/^\d+$/.test(page ?? "")) return undefined;
    const parsed = statusSchema.safeParse({ action, page });
    return parsed.success ? parsed.data : undefined;
  },
};

/** /logout and /reboot: pick an instance, then confirm (the confirmation expires). */
export const adminCallbacks = defineCallbacks("adm", [
  "logout", // picked from a list: ask to confirm
  "reboot",
  "logout-yes",
  "reboot-yes",
  "no",
  "reboot-ask", // from an alert: the Reboot confirmation as a new message (the alert stays)
]);
export type AdminCallback = NonNullable<ReturnType<typeof adminCallbacks.decode>>;

/**
 * /webhook on and off (features/webhook/): Yes, the second Yes (no webhook URL: nothing may be
 * polling), and No.
 */
export const webhookCallbacks = defineCallbacks("wh", ["on-yes", "on-sure", "off-yes", "no"]);
export type WebhookCallback = NonNullable<ReturnType<typeof webhookCallbacks.decode>>;

/**
 * The mass-incident digest's pager (features/digest-pager.ts): "Show all" on the digest sends a
 * page as a reply; ◀ ▶ on that page edit it. A page button names the digest it pages (a message
 * id in the same chat) and the page; no instance, so its right is checked per listed instance.
 */
const digestPageSchema = z.union([
  z.object({ action: z.literal("all") }),
  z.object({
    action: z.literal("page"),
    digest: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31),
    page: z.coerce.number().int().min(0).max(10_000),
  }),
]);
export type DigestPageCallback = z.infer<typeof digestPageSchema>;
export const digestCallbacks = {
  actions: ["all", "page"] as const,
  pattern: /^dg:/,
  encode: (callback: DigestPageCallback): string =>
    callback.action === "all" ? "dg:all" : `dg:page:${callback.digest}:${callback.page}`,
  decode: (data: string): DigestPageCallback | undefined => {
    if (data.length > 64) return undefined;
    const [head, action, digest, page, ...rest] = data.split(":");
    if (head !== "dg" || rest.length > 0) return undefined;
    if (action === "all" && digest !== undefined) return undefined;
    if (action === "page" && !(/^\d+$/.test(digest ?? "") && /^\d+$/.test(page ?? "")))
      return undefined;
    const parsed = digestPageSchema.safeParse({ action, digest, page });
    return parsed.success ? parsed.data : undefined;
  },
};

/**
 * /history's pages, edited in place: `hi:inst:2:shop` (page 3 of shop's incidents) and
 * `hi:fleet:1` (page 2 of the fleet view: the presser's own instances, no name in the button).
 */
const historySchema = z.union([
  z.object({
    action: z.literal("inst"),
    page: z.coerce.number().int().min(0).max(10_000),
    instance: z.string().regex(INSTANCE_NAME_PATTERN),
  }),
  z.object({ action: z.literal("fleet"), page: z.coerce.number().int().min(0).max(10_000) }),
]);
export type HistoryCallback = z.infer<typeof historySchema>;
export const historyCallbacks = {
  actions: ["inst", "fleet"] as const,
  pattern: /^hi:/,
  encode: (callback: HistoryCallback): string =>
    callback.action === "inst"
      ? `hi:inst:${callback.page}:${callback.instance}`
      : `hi:fleet:${callback.page}`,
  decode: (data: string): HistoryCallback | undefined => {
    if (data.length > 64) return undefined;
    const [head, action, page, instance, ...rest] = data.split(":");
    if (head !== "hi" || rest.length > 0 || !/^\d+$/.test(page ?? "")) return undefined;
    if (action === "fleet" && instance !== undefined) return undefined;
    const parsed = historySchema.safeParse({ action, page, instance });
    return parsed.success ? parsed.data : undefined;
  },
};
