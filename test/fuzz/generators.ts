// What the fuzzer feeds the bot, one step at a time, and how a step reads in a failure report:
// `operator@private: /logout kiosk (entities: bold,bot_command)`.
import fc from "fast-check";
import { PERSON_NAMES, type Person, type Place, PLACES } from "./model.js";

/** Formatting Telegram may put on a command message, in the order the client chose. */
export type Entity = "bot_command" | "bold" | "italic" | "bold-args" | "mention";
export type Carrier = "message" | "edited" | "caption";

export type Step =
  /** A message: a command (any entities, any @mention) or plain text, possibly edited or a caption. */
  | {
      kind: "say";
      who: Person;
      stranger: number;
      place: Place;
      text: string;
      entities: Entity[];
      carrier: Carrier;
    }
  /** A typed reply to a bot message of this chat (the `pick`-th, whoever it was for). */
  | {
      kind: "reply";
      who: Person | "same";
      stranger: number;
      place: Place | "same";
      pick: number;
      text: string;
    }
  /**
   * A button press on the `pick`-th bot message of the chat, with data from that message, from
   * another message (`foreign`), or made up; `late`: pressed long ago.
   */
  | {
      kind: "press";
      who: Person | "same";
      stranger: number;
      place: Place | "same";
      pick: number;
      data: { from: "own" | "foreign"; index: number } | { from: "forged"; text: string };
      late: boolean;
    }
  /**
   * An update posted to /telegram/webhook by someone who is not Telegram: it claims to be `as`
   * in a chat of the forger (a stranger), signed with a secret the forger could know.
   */
  | {
      kind: "forge";
      as: Person;
      stranger: number;
      place: Place;
      text: string;
      secret: ForgedSecret;
    }
  /** A GREEN-API notification for `instance`, with some token in its Authorization header. */
  | { kind: "notify"; instance: "kiosk" | "helpdesk"; token: NotifyToken; state: string }
  /** Telegram fails the next call of `method`. */
  | { kind: "fail"; method: string; error: TelegramFailure }
  /** Named cases only: greenlight restarts with `without` taken off the team. */
  | { kind: "restart"; without: Person }
  /** Named cases only: GREEN-API shows a new QR for the instance; then time passes. */
  | { kind: "rotate"; instance: "kiosk" | "helpdesk" }
  | { kind: "wait"; ms: number };

/** Secrets a forger may try: the one derivable from WEBHOOK_SECRET (0.2.0), the shared one itself… */
export type ForgedSecret = "sha256-of-webhook-secret" | "webhook-secret" | "none" | "wrong";
export type NotifyToken = "missing" | "wrong" | "shared-old" | "own" | "other-instance";
export type TelegramFailure = "429" | "400-not-found" | "403-blocked" | "400-bad";

const NAMES = ["kiosk", "helpdesk", "kiosk", "helpdesk", "", "nope", "KIOSK"];
/** Commands with arguments that mean something (mostly), so that flows get far enough to matter. */
const COMMANDS: Record<string, string[]> = {
  start: [""],
  help: [""],
  status: NAMES,
  qr: NAMES,
  code: [...NAMES, "kiosk +7 900 777 88 99", "helpdesk 79005556677", "kiosk +7 900 777 88 99"],
  mute: ["kiosk 1h", "helpdesk 2h", "kiosk", "nope 1h"],
  unmute: NAMES,
  logout: NAMES,
  reboot: NAMES,
  audit: ["", "kiosk"],
  history: [...NAMES, "kiosk csv", "helpdesk csv", "kiosk pdf"],
  instances: [""],
  webhook: ["kiosk", "kiosk on", "helpdesk off", "", "nope on"],
  link: NAMES,
  cancel: ["kiosk"],
  zz: [""],
};
const MENTIONS = ["", "", "", "@greenlight_test_bot", "@other_bot"];
/** /start payloads: what a deep link (t.me/bot?start=…) may carry, real-looking or not. */
const START_PAYLOADS = [
  "qr-kiosk",
  "code-helpdesk",
  "link-kiosk",
  "qr_helpdesk",
  "x".repeat(64),
  "../../",
];
const PHONES = ["+7 900 777 88 99", "79005556677", "+1 555 0100", "hello", "0"];

const FORGED_DATA = [
  "qr:logout-yes:kiosk",
  "qr:logout-yes:helpdesk",
  "adm:logout-yes:kiosk",
  "adm:reboot-yes:helpdesk",
  "code:logout-yes:kiosk",
  "code:known:helpdesk",
  "code:new:kiosk",
  "qr:start:helpdesk",
  "qr:new:kiosk",
  "qr:cancel:helpdesk",
  "al:claim:helpdesk",
  "st:refresh:_",
  "dg:all",
  "hi:inst:0:helpdesk",
  "hi:fleet:1",
  "link:new:kiosk",
  "link:revoke:helpdesk",
  "adm:logout-yes:nope",
  "wh:on-yes:kiosk",
  "wh:off-yes:helpdesk",
  "x",
];

/** The team acts more often than outsiders: that is where the flows are. */
const PERSON_WEIGHTS: Record<Person, number> = {
  stranger: 2,
  viewer: 2,
  "other-operator": 2,
  operator: 4,
  admin: 4,
  removed: 1,
};
export const person = fc.oneof(
  ...PERSON_NAMES.map((p) => ({ weight: PERSON_WEIGHTS[p], arbitrary: fc.constant(p) })),
);
/** Presses and replies: often the person who just spoke, where they spoke (a flow goes on). */
const followerWho = fc.oneof(
  { weight: 3, arbitrary: fc.constant("same" as const) },
  { weight: 2, arbitrary: person },
);
const followerPlace = fc.oneof(
  { weight: 3, arbitrary: fc.constant("same" as const) },
  { weight: 1, arbitrary: fc.constantFrom(...PLACES) },
);

/** Which bot message of the chat, counted from the newest: mostly the last one or two. */
const pick = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.nat({ max: 30 }) },
);
const place = fc.constantFrom(...PLACES);
const strangerIndex = fc.nat({ max: 2 });

/** How often each command comes up: the ones that change something or show a secret, most. */
const COMMAND_WEIGHTS: Record<string, number> = { qr: 3, code: 3, logout: 3, reboot: 2, status: 2 };
const command = fc.oneof(
  ...Object.keys(COMMANDS).map((c) => ({
    weight: COMMAND_WEIGHTS[c] ?? 1,
    arbitrary: fc.constant(c),
  })),
);

const commandText = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(command, fc.constantFrom(...MENTIONS))
      .chain(([c, m]) =>
        fc.constantFrom(...(COMMANDS[c] ?? [""])).map((a) => `/${c}${m}${a ? ` ${a}` : ""}`),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...START_PAYLOADS).map((p) => `/start ${p}`) },
  { weight: 1, arbitrary: fc.constantFrom("hello", "kiosk", "+7 900 777 88 99", "a".repeat(50)) },
  // Token-shaped: a pasted apiTokenInstance (50 hex) is deleted and warned about.
  {
    weight: 1,
    arbitrary: fc.constant("my token 0123456789abcdef0123456789abcdef0123456789abcdef01"),
  },
);

const entities: fc.Arbitrary<Entity[]> = fc
  .subarray(["bot_command", "bold", "italic", "bold-args", "mention"] as Entity[])
  .chain((list) => fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }));

const say = fc.record({
  kind: fc.constant("say" as const),
  who: person,
  stranger: strangerIndex,
  place,
  text: commandText,
  entities: fc.oneof(
    { weight: 4, arbitrary: fc.constant(["bot_command"] as Entity[]) },
    { weight: 1, arbitrary: entities },
  ),
  carrier: fc.oneof(
    { weight: 8, arbitrary: fc.constant<Carrier>("message") },
    { weight: 1, arbitrary: fc.constant<Carrier>("edited") },
    { weight: 1, arbitrary: fc.constant<Carrier>("caption") },
  ),
});

const reply = fc.record({
  kind: fc.constant("reply" as const),
  who: followerWho,
  stranger: strangerIndex,
  place: followerPlace,
  pick,
  text: fc.constantFrom(...PHONES),
});

const press = fc.record({
  kind: fc.constant("press" as const),
  who: followerWho,
  stranger: strangerIndex,
  place: followerPlace,
  pick,
  data: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ from: fc.constant("own" as const), index: fc.nat({ max: 7 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ from: fc.constant("foreign" as const), index: fc.nat({ max: 50 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        from: fc.constant("forged" as const),
        text: fc.constantFrom(...FORGED_DATA),
      }),
    },
  ),
  late: fc.boolean(),
});

const forge = fc.record({
  kind: fc.constant("forge" as const),
  as: fc.constantFrom<Person>("admin", "operator", "other-operator"),
  stranger: strangerIndex,
  place,
  text: fc.constantFrom(
    "/audit",
    "/instances",
    "/logout kiosk",
    "/reboot helpdesk",
    "/status",
    "/qr kiosk",
    "/code helpdesk",
    // A press as the admin on the newest bot message of the chat: hole 1's late Yes.
    "press adm:logout-yes:kiosk",
    "press qr:logout-yes:helpdesk",
  ),
  secret: fc.constantFrom<ForgedSecret>(
    "sha256-of-webhook-secret",
    "webhook-secret",
    "none",
    "wrong",
  ),
});

const notify = fc.record({
  kind: fc.constant("notify" as const),
  instance: fc.constantFrom("kiosk" as const, "helpdesk" as const),
  token: fc.constantFrom<NotifyToken>("missing", "wrong", "shared-old", "own", "other-instance"),
  state: fc.constantFrom("notAuthorized", "authorized", "blocked", "yellowCard"),
});

const fail = fc.record({
  kind: fc.constant("fail" as const),
  method: fc.constantFrom(
    "sendMessage",
    "editMessageText",
    "sendPhoto",
    "editMessageMedia",
    "answerCallbackQuery",
    "deleteMessage",
    "editMessageCaption",
  ),
  // A 429 costs a real second (auto-retry waits retry_after): rarer than the others.
  error: fc.constantFrom<TelegramFailure>(
    "429",
    "400-not-found",
    "400-not-found",
    "403-blocked",
    "403-blocked",
    "400-bad",
    "400-bad",
  ),
});

const KINDS = {
  say: [8, say],
  reply: [3, reply],
  press: [5, press],
  forge: [2, forge],
  notify: [2, notify],
  fail: [2, fail],
} as const;
export type FuzzKind = keyof typeof KINDS;
export const FUZZ_KINDS = Object.keys(KINDS) as FuzzKind[];

/** Sequences of 1..maxLength steps; `without` leaves kinds of step out (to look past a known hole). */
export function sequence(maxLength: number, without: FuzzKind[] = []): fc.Arbitrary<Step[]> {
  const kinds = FUZZ_KINDS.filter((kind) => !without.includes(kind));
  const step: fc.Arbitrary<Step> = fc.oneof(
    ...kinds.map((kind) => ({
      weight: KINDS[kind][0],
      arbitrary: KINDS[kind][1] as fc.Arbitrary<Step>,
    })),
  );
  return fc.array(step, { minLength: 1, maxLength });
}

/** One line per step, as a person would write the script down. */
export function describeStep(s: Step): string {
  const who = (p: Person | "same", stranger: number) =>
    p === "stranger" ? `stranger#${stranger}` : p === "same" ? "the same person" : p;
  switch (s.kind) {
    case "say": {
      const extras =
        s.entities.join(",") === "bot_command"
          ? ""
          : ` (entities: ${s.entities.join(",") || "none"})`;
      const carrier = s.carrier === "message" ? "" : ` [${s.carrier}]`;
      return `${who(s.who, s.stranger)}@${s.place}: ${JSON.stringify(s.text).slice(1, -1)}${extras}${carrier}`;
    }
    case "reply":
      return `${who(s.who, s.stranger)}@${s.place === "same" ? "the same place" : s.place}: replies "${s.text}" to bot message #${s.pick}`;
    case "press": {
      const data =
        s.data.from === "forged"
          ? `forged "${s.data.text}"`
          : `${s.data.from} button #${s.data.index}`;
      return `${who(s.who, s.stranger)}@${s.place === "same" ? "the same place" : s.place}: presses ${data} on bot message #${s.pick}${s.late ? " (late)" : ""}`;
    }
    case "forge":
      return `stranger#${s.stranger} forges "${s.text}" as ${s.as}@${s.place} (secret: ${s.secret})`;
    case "notify":
      return `GREEN-API notification ${s.instance}→${s.state} (token: ${s.token})`;
    case "fail":
      return `Telegram fails the next ${s.method} (${s.error})`;
    case "restart":
      return `greenlight restarts without ${s.without} on the team`;
    case "rotate":
      return `GREEN-API shows a new QR for ${s.instance}`;
    case "wait":
      return `${s.ms} ms pass`;
  }
}

export function describeSequence(steps: Step[]): string {
  return steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${describeStep(s)}`).join("\n");
}
