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
  | { kind: "reply"; who: Person; stranger: number; place: Place; pick: number; text: string }
  /**
   * A button press on the `pick`-th bot message of the chat, with data from that message, from
   * another message (`foreign`), or made up; `late`: pressed long ago.
   */
  | {
      kind: "press";
      who: Person;
      stranger: number;
      place: Place;
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

const COMMANDS = [
  "start",
  "help",
  "status",
  "qr",
  "code",
  "mute",
  "unmute",
  "logout",
  "reboot",
  "audit",
  "instances",
  "cancel",
  "zz",
];
const MENTIONS = ["", "", "", "@greenlight_test_bot", "@other_bot"];
const ARGS = [
  "",
  "kiosk",
  "helpdesk",
  "nope",
  "kiosk 1h",
  "helpdesk 2h",
  "kiosk +7 900 777 88 99",
  "helpdesk 79005556677",
  "KIOSK",
];
/** /start payloads: what a deep link (t.me/bot?start=…) may carry, real-looking or not. */
const START_PAYLOADS = ["qr-kiosk", "code-helpdesk", "qr_helpdesk", "x".repeat(64), "../../"];
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
  "adm:logout-yes:nope",
  "x",
];

export const person = fc.constantFrom(...PERSON_NAMES);
const place = fc.constantFrom(...PLACES);
const strangerIndex = fc.nat({ max: 2 });

const commandText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...COMMANDS), fc.constantFrom(...MENTIONS), fc.constantFrom(...ARGS))
      .map(([c, m, a]) => `/${c}${m}${a ? ` ${a}` : ""}`),
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
    { weight: 3, arbitrary: fc.constant(["bot_command"] as Entity[]) },
    { weight: 2, arbitrary: entities },
  ),
  carrier: fc.constantFrom<Carrier>("message", "message", "message", "edited", "caption"),
});

const reply = fc.record({
  kind: fc.constant("reply" as const),
  who: person,
  stranger: strangerIndex,
  place,
  pick: fc.nat({ max: 30 }),
  text: fc.constantFrom(...PHONES),
});

const press = fc.record({
  kind: fc.constant("press" as const),
  who: person,
  stranger: strangerIndex,
  place,
  pick: fc.nat({ max: 30 }),
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
  error: fc.constantFrom<TelegramFailure>("429", "400-not-found", "403-blocked", "400-bad"),
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
  const who = (p: Person, stranger: number) => (p === "stranger" ? `stranger#${stranger}` : p);
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
      return `${who(s.who, s.stranger)}@${s.place}: replies "${s.text}" to bot message #${s.pick}`;
    case "press": {
      const data =
        s.data.from === "forged"
          ? `forged "${s.data.text}"`
          : `${s.data.from} button #${s.data.index}`;
      return `${who(s.who, s.stranger)}@${s.place}: presses ${data} on bot message #${s.pick}${s.late ? " (late)" : ""}`;
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
