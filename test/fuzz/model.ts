// The fuzzer's own model of who may do what: written from the README's "Who may do what" table
// and the instances file of test/fuzz/harness.ts, never imported from src/. The invariants
// (invariants.ts) judge everything the bot did against it.

export type Right = "view" | "operate" | "administer";
type Role = "viewer" | "operator" | "admin";

/** The people who write to the bot. `removed` was an operator of kiosk until the last restart. */
export const PEOPLE = {
  stranger: 66_660_001,
  viewer: 3001,
  "other-operator": 3002,
  operator: 1001,
  admin: 3003,
  removed: 3004,
} as const;
export type Person = keyof typeof PEOPLE;
export const PERSON_NAMES = Object.keys(PEOPLE) as Person[];

/** Strangers come in numbers: a flood of different ids must cost no more than one. */
export const STRANGER_IDS = [66_660_001, 66_660_002, 66_660_003] as const;

export const TRUSTED_GROUP = -100500;
export const UNTRUSTED_GROUP = -100600;
export type Place = "private" | "trusted-group" | "untrusted-group";
export const PLACES: Place[] = ["private", "trusted-group", "untrusted-group"];

export interface FuzzInstance {
  name: string;
  idInstance: string;
  apiTokenInstance: string;
  /** The phone number the instance is linked to (shown masked, never whole in logs). */
  phone: string;
  operators?: number[];
  viewers?: number[];
}

/**
 * Two private instances (README: an instance with lists of its own is seen only by them and the
 * admins): kiosk for the operator and the viewer, helpdesk for the other operator.
 */
export const KIOSK: FuzzInstance = {
  name: "kiosk",
  idInstance: "1101000001",
  apiTokenInstance: "shoptoken0123456789abcdef0123456789abcdef0123456789",
  phone: "79001112233",
  operators: [PEOPLE.operator],
  viewers: [PEOPLE.viewer],
};
export const HELPDESK: FuzzInstance = {
  name: "helpdesk",
  idInstance: "1101000002",
  apiTokenInstance: "supporttoken0123456789abcdef0123456789abcdef012345",
  phone: "79004445566",
  operators: [PEOPLE["other-operator"]],
};
export const INSTANCES = [KIOSK, HELPDESK];

/** The .env lists: the team. `removed` is on none of them any more. */
export const TEAM_ENV = {
  ADMIN_IDS: String(PEOPLE.admin),
  OPERATOR_IDS: `${PEOPLE.operator},${PEOPLE["other-operator"]}`,
  VIEWER_IDS: String(PEOPLE.viewer),
  SECRET_CHAT_IDS: String(TRUSTED_GROUP),
};

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };
const NEED: Record<Right, number> = { view: 1, operate: 2, administer: 3 };

/** README: admins have every instance; an instance's own lists decide for everyone else. */
export function roleOn(userId: number, instance: FuzzInstance): Role | null {
  // README: taking someone off the global lists takes every right away, whatever a file says.
  if (!isOnTeam(userId)) return null;
  if (userId === PEOPLE.admin) return "admin";
  if (instance.operators?.includes(userId)) return "operator";
  if (instance.viewers?.includes(userId)) return "viewer";
  return null;
}

export function may(userId: number, right: Right, instance: FuzzInstance): boolean {
  const role = roleOn(userId, instance);
  return role !== null && RANK[role] >= NEED[right];
}

export function mayOnAny(userId: number, right: Right): boolean {
  return INSTANCES.some((instance) => may(userId, right, instance));
}

const BASE_TEAM: number[] = [
  PEOPLE.admin,
  PEOPLE.operator,
  PEOPLE["other-operator"],
  PEOPLE.viewer,
];
/** The team right now: a restart may take someone off it (README: every right goes with it). */
const team = new Set<number>(BASE_TEAM);

export function isOnTeam(userId: number): boolean {
  return team.has(userId);
}

export function takeOffTeam(userId: number): void {
  team.delete(userId);
}

export function resetTeam(): void {
  team.clear();
  for (const id of BASE_TEAM) team.add(id);
}

/** The .env lists without the people taken off the team. */
export function teamEnv(): Record<string, string> {
  const keep = (ids: number[]) => ids.filter((id) => team.has(id)).join(",");
  return {
    ...TEAM_ENV,
    ADMIN_IDS: keep([PEOPLE.admin]),
    OPERATOR_IDS: keep([PEOPLE.operator, PEOPLE["other-operator"]]),
    VIEWER_IDS: keep([PEOPLE.viewer]),
  };
}

export function chatOf(place: Place | "same", userId: number): number {
  if (place === "same") throw new Error("resolve the step first");
  return place === "private" ? userId : place === "trusted-group" ? TRUSTED_GROUP : UNTRUSTED_GROUP;
}

/** The README's table, per command: the right it needs (team: anyone on the team). */
export const COMMAND_NEEDS: Record<string, Right | "team"> = {
  start: "team",
  help: "team",
  status: "view",
  history: "view",
  qr: "operate",
  code: "operate",
  mute: "operate",
  unmute: "operate",
  logout: "administer",
  reboot: "administer",
  audit: "administer",
  instances: "administer",
  webhook: "administer",
  link: "operate",
};

/**
 * What only an allowed user ever sees: the screen each command answers with when it is allowed
 * (README "Commands"). Seen after a step by someone who lacks the right, it is a hole.
 */
export const PRIVILEGED_SCREENS: Array<{ command: string; need: Right; screen: RegExp }> = [
  { command: "audit", need: "administer", screen: /^🧾/u },
  { command: "instances", need: "administer", screen: /^📒/u },
  { command: "webhook", need: "administer", screen: /^🪝/u },
  { command: "logout", need: "administer", screen: /🚪 Log out \S+\?/u },
  { command: "reboot", need: "administer", screen: /🔁 Reboot \S+\?/u },
  { command: "mute", need: "operate", screen: /^🔕/u },
  { command: "code", need: "operate", screen: /Reply to this message with the phone number/u },
  { command: "link", need: "operate", screen: /🔗 Link for \S+, for whoever holds its phone/u },
];

/** GREEN-API methods that change an instance, and the right each needs (README table). */
export const MUTATING: Record<string, Right> = {
  logout: "administer",
  reboot: "administer",
  getAuthorizationCode: "operate",
  setSettings: "administer",
};

/**
 * README "QR codes and pairing codes go only where they are safe": the asker's private chat or a
 * SECRET_CHAT_IDS chat (where everyone present may scan, viewers included).
 */
export function secretMayGoTo(chatId: number, instance: FuzzInstance): boolean {
  if (chatId === TRUSTED_GROUP) return true;
  return chatId > 0 && may(chatId, "operate", instance);
}

/** A private chat may hear of an instance only if its owner may see it. */
export function privateChatMaySee(chatId: number, instance: FuzzInstance): boolean {
  return may(chatId, "view", instance);
}
