import type { Right } from "./roles.js";

/**
 * The right each command and each button needs, checked on the instance it names. `team` needs
 * only to be on the team (help texts list just what the user may do). Anything not in these
 * tables is refused for everyone: a new command or button does nothing until it has an entry,
 * and the access matrix test fails until it has a row.
 */
export type Requirement = Right | "team";

export const COMMAND_RIGHTS = {
  start: "team",
  help: "team",
  status: "view",
  // `/history shop csv` asks for administer itself (the file goes to the asker's private chat).
  history: "view",
  qr: "operate",
  code: "operate",
  link: "operate",
  mute: "operate",
  unmute: "operate",
  logout: "administer",
  reboot: "administer",
  audit: "administer",
  instances: "administer",
  // Shows the application's webhook URL and changes where GREEN-API sends notifications.
  webhook: "administer",
} as const satisfies Record<string, Requirement>;

export type CommandName = keyof typeof COMMAND_RIGHTS;

/** Buttons by `prefix:action` of their callback data (see telegram/callback-data.ts). */
export const BUTTON_RIGHTS = {
  "st:refresh": "view",
  // /status pages of a fleet: the page lists only the presser's own instances.
  "st:page": "view",
  "qr:start": "operate",
  "qr:cancel": "operate",
  "qr:new": "operate",
  "qr:logout": "administer",
  "qr:logout-yes": "administer",
  "qr:logout-no": "administer",
  "code:ask": "operate",
  "code:new": "operate",
  "code:qr": "operate",
  "code:logout": "administer",
  "code:logout-yes": "administer",
  "code:logout-no": "administer",
  "code:known": "operate",
  // /link's message: the link is the operator's own, in their private chat.
  "link:revoke": "operate",
  "link:new": "operate",
  "adm:logout": "administer",
  "adm:reboot": "administer",
  "adm:logout-yes": "administer",
  "adm:reboot-yes": "administer",
  "adm:no": "administer",
  "adm:reboot-ask": "administer",
  "al:claim": "operate",
  // The digest's pager: anyone who sees one of its instances may page (the list is filtered).
  "dg:all": "view",
  "dg:page": "view",
  "wh:on-yes": "administer",
  "wh:on-sure": "administer",
  "wh:off-yes": "administer",
  "wh:no": "administer",
  // /history's pages: an instance's incidents (viewing it), the fleet's (the presser's own list).
  "hi:inst": "view",
  "hi:fleet": "view",
} as const satisfies Record<string, Right>;

export type ButtonKind = keyof typeof BUTTON_RIGHTS;

/** A typed reply to the bot's "send me the phone number" prompt: it asks for a pairing code. */
export const TYPED_REPLY_RIGHT: Right = "operate";

export function commandRight(command: string): Requirement | undefined {
  return Object.hasOwn(COMMAND_RIGHTS, command)
    ? COMMAND_RIGHTS[command as CommandName]
    : undefined;
}

/** "qr:start:shop" → the right of "qr:start"; undefined for anything unknown or forged. */
export function buttonRight(data: string): Right | undefined {
  const kind = data.split(":", 2).join(":");
  return Object.hasOwn(BUTTON_RIGHTS, kind) ? BUTTON_RIGHTS[kind as ButtonKind] : undefined;
}
