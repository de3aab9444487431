import { Api, InputFile } from "grammy";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfirmationStore } from "../../../src/access/confirmation-store.js";
import { BUTTON_RIGHTS, COMMAND_RIGHTS } from "../../../src/access/rights.js";
import {
  adminCallbacks,
  alertCallbacks,
  codeCallbacks,
  digestCallbacks,
  linkCallbacks,
  qrCallbacks,
  historyCallbacks,
  statusCallbacks,
  webhookCallbacks,
} from "../../../src/telegram/callback-data.js";
import { handledCommands } from "../../../src/telegram/commands.js";
import type { TelegramCall } from "../../fakes/fake-telegram.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
  startHarness,
} from "../../kit/app-harness.js";
import { scanPng } from "../../kit/qr-decode.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";

/**
 * The access matrix (README "Who may do what"): every command and every button, crossed with
 * every kind of user and every kind of chat, against the real bot. Each cell asserts what was
 * sent and where, what GREEN-API was asked, and what changed in Redis: the rule for a cell comes
 * from the literal tables below, written from the README, not from src/access.
 */

const VIEWER = 3001;
const OTHER_OPERATOR = 3002;
const ADMIN = 3003;
const UNTRUSTED_GROUP = -100600;
const TRUSTED_GROUP = GROUP_CHAT;

type Need = "team" | "view" | "operate" | "administer";
type UserKind = "stranger" | "viewer" | "operator of another instance" | "operator" | "admin";
type ChatKind = "private chat" | "trusted group" | "untrusted group";

const USERS: Record<UserKind, { id: number; roleOnShop: "viewer" | "operator" | "admin" | null }> =
  {
    stranger: { id: STRANGER, roleOnShop: null },
    viewer: { id: VIEWER, roleOnShop: "viewer" },
    "operator of another instance": { id: OTHER_OPERATOR, roleOnShop: null },
    operator: { id: OPERATOR, roleOnShop: "operator" },
    admin: { id: ADMIN, roleOnShop: "admin" },
  };
const RANK = { viewer: 1, operator: 2, admin: 3 } as const;
const NEED_RANK = { view: 1, operate: 2, administer: 3 } as const;

/** The README's table, as the test's own words. */
const COMMANDS: Record<
  string,
  { need: Need; text: string; secret?: boolean; privateOnly?: boolean }
> = {
  start: { need: "team", text: "/start" },
  help: { need: "team", text: "/help" },
  status: { need: "view", text: "/status shop" },
  history: { need: "view", text: "/history shop" },
  qr: { need: "operate", text: "/qr shop", secret: true },
  code: { need: "operate", text: "/code shop", secret: true },
  // A link travels further than a photo: the asker's private chat only, trusted group or not.
  link: { need: "operate", text: "/link shop", secret: true, privateOnly: true },
  mute: { need: "operate", text: "/mute shop 1h" },
  unmute: { need: "operate", text: "/unmute shop" },
  logout: { need: "administer", text: "/logout shop" },
  reboot: { need: "administer", text: "/reboot shop" },
  audit: { need: "administer", text: "/audit" },
  instances: { need: "administer", text: "/instances" },
  // Issue #23: shows where the application gets its notifications, and changes it.
  webhook: { need: "administer", text: "/webhook shop" },
};

interface ButtonSpec {
  need: Need;
  data: string;
  /** The message the button sits on. */
  anchor: "photo" | "text";
  secret?: boolean;
  /** The secret goes to the asker's private chat from any group, trusted or not (/link). */
  privateOnly?: boolean;
  /** Arms a confirmation for the presser before the press. */
  armed?: "logout" | "reboot" | "code-logout" | "webhook-on" | "webhook-on-polling" | "webhook-off";
  /** Remembers a phone number for the anchor (a pairing-code message). */
  phone?: boolean;
  /** Remembers shop's own number, as the watcher does while it is authorized (issue #13). */
  knownPhone?: boolean;
}

const BUTTONS: Record<string, ButtonSpec> = {
  "st:refresh": { need: "view", data: "st:refresh:_", anchor: "text" },
  // /status pages of a fleet (issue #14): paging is viewing; the page is the presser's own list.
  "st:page": { need: "view", data: "st:page:1", anchor: "text" },
  "qr:start": { need: "operate", data: "qr:start:shop", anchor: "text", secret: true },
  "qr:cancel": { need: "operate", data: "qr:cancel:shop", anchor: "photo" },
  "qr:new": { need: "operate", data: "qr:new:shop", anchor: "photo", secret: true },
  "qr:logout": { need: "administer", data: "qr:logout:shop", anchor: "photo" },
  "qr:logout-yes": {
    need: "administer",
    data: "qr:logout-yes:shop",
    anchor: "photo",
    secret: true,
    armed: "logout",
  },
  "qr:logout-no": {
    need: "administer",
    data: "qr:logout-no:shop",
    anchor: "photo",
    armed: "logout",
  },
  "code:ask": { need: "operate", data: "code:ask:shop", anchor: "text", secret: true },
  "code:new": { need: "operate", data: "code:new:shop", anchor: "text", secret: true, phone: true },
  "code:qr": { need: "operate", data: "code:qr:shop", anchor: "text", secret: true },
  // /code on an authorized instance: "Log out & get a code", behind a confirmation (issue #11).
  "code:logout": { need: "administer", data: "code:logout:shop", anchor: "text", phone: true },
  "code:logout-yes": {
    need: "administer",
    data: "code:logout-yes:shop",
    anchor: "text",
    secret: true,
    armed: "code-logout",
    phone: true,
  },
  "code:logout-no": {
    need: "administer",
    data: "code:logout-no:shop",
    anchor: "text",
    armed: "code-logout",
    phone: true,
  },
  "adm:logout": { need: "administer", data: "adm:logout:shop", anchor: "text" },
  "adm:reboot": { need: "administer", data: "adm:reboot:shop", anchor: "text" },
  "adm:logout-yes": {
    need: "administer",
    data: "adm:logout-yes:shop",
    anchor: "text",
    armed: "logout",
  },
  "adm:reboot-yes": {
    need: "administer",
    data: "adm:reboot-yes:shop",
    anchor: "text",
    armed: "reboot",
  },
  "adm:no": { need: "administer", data: "adm:no:shop", anchor: "text", armed: "logout" },
  // Alerts and /status (issue #13): a code for the remembered number; Reboot below an alert.
  "code:known": {
    need: "operate",
    data: "code:known:shop",
    anchor: "text",
    secret: true,
    knownPhone: true,
  },
  "adm:reboot-ask": { need: "administer", data: "adm:reboot-ask:shop", anchor: "text" },
  "al:claim": { need: "operate", data: "al:claim:shop", anchor: "text" },
  // The digest's pager (issue #14): paging is viewing; the list is filtered per presser.
  "dg:all": { need: "view", data: "dg:all", anchor: "text" },
  "dg:page": { need: "view", data: "dg:page:1:1", anchor: "text" },
  // /webhook on and off. The matrix sets no WEBHOOK_SECRET: a Yes says what is missing.
  "wh:on-yes": { need: "administer", data: "wh:on-yes:shop", anchor: "text", armed: "webhook-on" },
  "wh:on-sure": {
    need: "administer",
    data: "wh:on-sure:shop",
    anchor: "text",
    armed: "webhook-on-polling",
  },
  "wh:off-yes": {
    need: "administer",
    data: "wh:off-yes:shop",
    anchor: "text",
    armed: "webhook-off",
  },
  "wh:no": { need: "administer", data: "wh:no:shop", anchor: "text", armed: "webhook-on" },
  // /history's pages: an instance's incidents need viewing it; the fleet's is the
  // presser's own list.
  "hi:inst": { need: "view", data: "hi:inst:0:shop", anchor: "text" },
  "hi:fleet": { need: "view", data: "hi:fleet:0", anchor: "text" },
  // /link's message: the anchor is no link's message, so Revoke finds none and changes nothing.
  "link:revoke": { need: "operate", data: "link:revoke:shop", anchor: "text" },
  "link:new": {
    need: "operate",
    data: "link:new:shop",
    anchor: "text",
    secret: true,
    privateOnly: true,
  },
};

/** What the allowed user sees, per command / button (here = the chat it was asked in). */
const ALLOWED_EFFECT: Record<string, Array<string | RegExp>> = {
  start: [/^send here text 🟢 greenlight/],
  help: [/^send here text 🟢 greenlight/],
  status: [/^send here text 📋 shop/],
  history: [/^send here text 📈 History of shop/],
  qr: ["send @ photo"],
  code: [/^send @ text 📞 Reply to this message with the phone number/],
  mute: [/^send here text 🔕/],
  unmute: [/^send here text /],
  logout: [/^send here text 🚪 Log out shop\?/],
  reboot: [/^send here text 🔁 Reboot shop\?/],
  audit: [/^send here text 🧾/],
  instances: [/^send here text 📒/],
  webhook: [/^send here text 🪝 shop: GREEN-API webhook/],
  link: [/^send @ text 🔗 Link for shop, for whoever holds its phone:/],
  "link:revoke": ["answer This link is no longer live."],
  "link:new": ["answer ", /^send @ text 🔗 Link for shop, for whoever holds its phone:/],
  "st:refresh": ["answer Updated.", /^edit here text 📋 Instances/],
  // Two instances here, no fleet: a page of one is out of date and nothing changes.
  "st:page": ["answer This page is out of date: send /status again."],
  "qr:start": [/^answer Starting/, "send @ photo"],
  "qr:cancel": ["answer This QR session has already ended."],
  "qr:new": [/^answer Starting/, "@ photo"],
  "qr:logout": [/^answer Confirm/, /^edit here text 🚪 Log out shop\?/],
  "qr:logout-yes": [/^answer Logging out/, /^edit here photo/, "@ photo"],
  "qr:logout-no": ["answer ", /^edit here text shop was not logged out/],
  "code:ask": [/^send @ text 📞 Reply to this message with the phone number/],
  "code:new": [/^answer /, /^(send|edit) @ text 🔑 Pairing code for shop/],
  "code:qr": [/^answer Starting/, "send @ photo"],
  "code:logout": [/^answer Confirm/, /^edit here text 🚪 Log out shop and get a pairing code for/],
  "code:logout-yes": [
    /^answer Logging out/,
    /^edit here text ⏳ Logging out shop/,
    /^(send|edit) @ text 🔑 Pairing code for shop/,
  ],
  "code:logout-no": ["answer ", /^edit here text ↩️ Nothing changed on shop: it stays linked/],
  "adm:logout": ["answer ", /^edit here text 🚪 Log out shop\?/],
  "adm:reboot": ["answer ", /^edit here text 🔁 Reboot shop\?/],
  "adm:logout-yes": ["answer ", /^edit here text ⏳/, /^edit here text 🚪 shop is logged out/],
  "adm:reboot-yes": ["answer ", /^edit here text ⏳/, /^edit here text 🔁 shop is rebooting/],
  "adm:no": ["answer ", /^edit here text ↩️ Nothing changed/],
  "code:known": [/^answer /, /^(send|edit) @ text 🔑 Pairing code for shop/],
  "adm:reboot-ask": ["answer ", /^send here text 🔁 Reboot shop\?/],
  // No watcher in this harness, so no incident: the press says so and changes nothing.
  "al:claim": ["answer shop has no open incident to take."],
  // No watcher, so the anchor is no digest it keeps: the press says so and changes nothing.
  "dg:all": ["answer This alert is too old to page through."],
  "dg:page": ["answer This alert is too old to page through."],
  "wh:on-yes": [
    "answer ",
    /^edit here text ⏳ Changing shop/,
    /^edit here text 🔧 \/webhook needs/,
  ],
  "wh:on-sure": [
    "answer ",
    /^edit here text ⏳ Changing shop/,
    /^edit here text 🔧 \/webhook needs/,
  ],
  "wh:off-yes": [
    "answer ",
    /^edit here text ⏳ Changing shop/,
    /^edit here text 🔧 \/webhook needs/,
  ],
  "wh:no": ["answer ", /^edit here text ↩️ Nothing changed on shop/],
  "hi:inst": ["answer Page 1 of 1", /^edit here text 📈 History of shop/],
  "hi:fleet": ["answer Page 1 of 1", /^edit here text 📈 Uptime, worst first/],
};

/** GREEN-API methods an allowed action calls (denied ones call none). */
const ALLOWED_GREEN_API: Record<string, string[]> = {
  status: ["getStateInstance", "getStateInstanceHistory"],
  "st:refresh": ["getStateInstance"],
  "qr:logout-yes": ["logout"],
  // The state first: GREEN-API gives codes to logged-out instances only.
  "code:new": ["getStateInstance", "getAuthorizationCode"],
  // Right after a confirmed log out, no state check: the code for the same number.
  "code:logout-yes": ["logout", "getAuthorizationCode"],
  "adm:logout-yes": ["logout"],
  "adm:reboot-yes": ["reboot"],
  "code:known": ["getStateInstance", "getAuthorizationCode"],
  webhook: ["getSettings"],
};

/** Redis keys (after the prefix) an allowed action writes, besides the audit log. */
const ALLOWED_REDIS: Record<string, RegExp[]> = {
  qr: [/^qr-session:shop/],
  code: [/^pairing-prompt:/],
  mute: [/^alerts:mutes$/],
  logout: [/^confirm:/],
  reboot: [/^confirm:/],
  "qr:start": [/^qr-session:shop/],
  "qr:new": [/^qr-session:shop/],
  "qr:logout": [/^confirm:/],
  "qr:logout-yes": [/^confirm:/, /^qr-session:shop/],
  "qr:logout-no": [/^confirm:/],
  "code:ask": [/^pairing-prompt:/],
  "code:new": [/^pairing:shop$/],
  "code:qr": [/^qr-session:shop/],
  "code:logout": [/^confirm:/],
  "code:logout-yes": [/^confirm:/, /^pairing:shop$/],
  "code:logout-no": [/^confirm:/],
  "adm:logout": [/^confirm:/],
  "adm:reboot": [/^confirm:/],
  "adm:logout-yes": [/^confirm:/],
  "adm:reboot-yes": [/^confirm:/],
  "adm:no": [/^confirm:/],
  "code:known": [/^pairing:shop$/],
  "adm:reboot-ask": [/^confirm:/],
  "wh:on-yes": [/^confirm:/],
  "wh:on-sure": [/^confirm:/],
  "wh:off-yes": [/^confirm:/],
  "wh:no": [/^confirm:/],
  link: [/^link:/, /^links-live:shop$/, /^link-msg:/],
  "link:new": [/^link:/, /^links-live:shop$/, /^link-msg:/],
};

const CHATS: Record<ChatKind, (userId: number) => { chatId: number; type: "private" | "group" }> = {
  "private chat": (userId) => ({ chatId: userId, type: "private" }),
  "trusted group": () => ({ chatId: TRUSTED_GROUP, type: "group" }),
  "untrusted group": () => ({ chatId: UNTRUSTED_GROUP, type: "group" }),
};

/** Buttons about no one instance (Refresh: the reader's own list) need the right on any. */
const ANY_INSTANCE = new Set(["st:refresh", "st:page", "dg:all", "dg:page", "hi:fleet"]);

function allowed(user: UserKind, name: string, need: Need): boolean {
  const { id, roleOnShop } = USERS[user];
  if (id === STRANGER) return false;
  if (need === "team" || ANY_INSTANCE.has(name)) return true;
  return roleOnShop !== null && RANK[roleOnShop] >= NEED_RANK[need];
}

/** What a denied cell shows: nothing, or one short answer in the same place. */
function deniedEffect(
  user: UserKind,
  chat: ChatKind,
  name: string,
  kind: "command" | "button",
  need: Need,
): string[] {
  const { roleOnShop } = USERS[user];
  const needWord = { team: "", view: "a viewer", operate: "an operator", administer: "an admin" }[
    need
  ];
  if (user === "stranger") {
    if (kind === "button") return ["answer Not allowed."];
    return name === "start" && chat === "private chat"
      ? ["send here text This is a private bot"]
      : [];
  }
  // Asked for what they may do on no instance at all.
  if (
    name === "audit" ||
    name === "instances" ||
    (user === "operator of another instance" && need === "administer")
  )
    return [
      kind === "button"
        ? "answer This button is no longer valid."
        : `send here text 🔒 Not allowed: this needs ${needWord} of at least one instance.`,
    ];
  if (roleOnShop === null) {
    return kind === "button"
      ? ["answer This button is no longer valid."]
      : ["send here text Unknown instance “shop”. Known: support"];
  }
  const role = roleOnShop === "viewer" ? "a viewer" : "an operator";
  return kind === "button"
    ? [`answer 🔒 Not allowed: you are ${role}, this needs ${needWord}.`]
    : [`send here text 🔒 You are ${role} of shop: this needs ${needWord}.`];
}

interface Cell {
  name: string;
  kind: "command" | "button";
  user: UserKind;
  chat: ChatKind;
}

const cells: Cell[] = [];
for (const [name, kind] of [
  ...Object.keys(COMMANDS).map((n) => [n, "command"] as const),
  ...Object.keys(BUTTONS).map((n) => [n, "button"] as const),
]) {
  for (const user of Object.keys(USERS) as UserKind[]) {
    for (const chat of Object.keys(CHATS) as ChatKind[]) cells.push({ name, kind, user, chat });
  }
}

describe("the access matrix covers every command and button", () => {
  it("has a row for every button the bot can draw", () => {
    const drawn = [
      ...qrCallbacks.actions.map((a) => `qr:${a}`),
      ...codeCallbacks.actions.map((a) => `code:${a}`),
      ...statusCallbacks.actions.map((a) => `st:${a}`),
      ...adminCallbacks.actions.map((a) => `adm:${a}`),
      ...alertCallbacks.actions.map((a) => `al:${a}`),
      ...digestCallbacks.actions.map((a) => `dg:${a}`),
      ...webhookCallbacks.actions.map((a) => `wh:${a}`),
      ...historyCallbacks.actions.map((a) => `hi:${a}`),
      ...linkCallbacks.actions.map((a) => `link:${a}`),
    ].sort();
    expect(Object.keys(BUTTONS).sort()).toEqual(drawn);
    expect(Object.keys(BUTTON_RIGHTS).sort()).toEqual(drawn);
    for (const [name, spec] of Object.entries(BUTTONS))
      expect(BUTTON_RIGHTS).toHaveProperty(name, spec.need);
    for (const [name, spec] of Object.entries(COMMANDS))
      expect(COMMAND_RIGHTS).toHaveProperty(name, spec.need);
  });
});

describe("who may do what, in every chat", () => {
  let h: Harness;
  let redis: Redis;
  let api: Api;
  let prefix: string;
  let confirmations: ConfirmationStore;

  beforeAll(async () => {
    h = await startHarness({
      // Each cell wipes Redis, the GREEN-API rate limiter's memory included, so cells a few ms
      // apart would look like a burst to the fake's limits; test/fidelity covers those.
      greenApiRateLimits: false,
      instances: [
        { ...SHOP, operators: [OPERATOR], viewers: [VIEWER] },
        { ...SUPPORT, operators: [OTHER_OPERATOR] },
      ],
      env: {
        // The bot alone: sessions queue, nothing polls, every effect is the bot's own.
        ROLE: "bot",
        ADMIN_IDS: String(ADMIN),
        OPERATOR_IDS: `${OPERATOR},${OTHER_OPERATOR}`,
        VIEWER_IDS: String(VIEWER),
        SECRET_CHAT_IDS: String(TRUSTED_GROUP),
        PAIRING_CODE_COOLDOWN_MS: "0",
        // /link makes links (no page is served here: the bot alone).
        PUBLIC_URL: "http://127.0.0.1:9",
      },
    });
    for (const { id } of Object.values(USERS)) h.telegram.userStartedBot(id);
    redis = new Redis(redisUrl());
    prefix = h.config.env.REDIS_PREFIX;
    confirmations = new ConfirmationStore(redis, { prefix, ttlMs: 60_000 });
    api = new Api(h.telegram.token, { apiRoot: h.telegram.apiRoot });
  });

  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  // The bot is built: every feature has registered its commands (telegram/commands.ts).
  it("has a row for every command in the access tables and every command a feature handles", () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(Object.keys(COMMAND_RIGHTS).sort());
    expect([...handledCommands()].sort()).toEqual(Object.keys(COMMAND_RIGHTS).sort());
  });

  /** Every key under the prefix, with its value: what "nothing changed in Redis" compares. */
  async function redisSnapshot(): Promise<Map<string, string>> {
    const snapshot = new Map<string, string>();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === "string"
            ? await redis.get(key)
            : type === "list"
              ? (await redis.lrange(key, 0, -1)).join("\n")
              : type === "hash"
                ? JSON.stringify(await redis.hgetall(key))
                : type === "zset"
                  ? (await redis.zrange(key, "0", "-1", "WITHSCORES")).join(",")
                  : type === "set"
                    ? (await redis.smembers(key)).sort().join(",")
                    : type;
        snapshot.set(key.slice(prefix.length + 1), value ?? "");
      }
    } while (cursor !== "0");
    return snapshot;
  }

  async function clearRedis(): Promise<void> {
    const keys = [...(await redisSnapshot()).keys()].map((key) => `${prefix}:${key}`);
    if (keys.length) await redis.del(...keys);
  }

  /** Bot calls since `from`, in the words of the matrix: "send here text …", "answer …". */
  function describeCalls(calls: TelegramCall[], chatId: number, userId: number): string[] {
    return calls.flatMap((call) => {
      if (!/^(send|edit|answerCallbackQuery|deleteMessage)/.test(call.method)) return [];
      if (call.method === "sendChatAction") return [];
      if (!call.ok) return [`failed ${call.method}`];
      if (call.method === "answerCallbackQuery")
        return [`answer ${String(call.params.text ?? "")}`];
      const target = Number(call.params.chat_id);
      const where = target === chatId ? "here" : target === userId ? "private" : String(target);
      const verb = call.method.startsWith("send") ? "send" : "edit";
      const photo = call.method === "sendPhoto" || call.method === "editMessageMedia";
      const html = String(call.params.text ?? call.params.caption ?? "");
      const text = html
        .replace(/<[^>]+>/g, "")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
      return [`${verb} ${where} ${photo ? "photo" : `text ${text}`}`.trimEnd()];
    });
  }

  it.each(cells)("$name by $user in a $chat", async ({ name, kind, user, chat }) => {
    const { id: userId } = USERS[user];
    const { chatId, type } = CHATS[chat](userId);
    const spec = kind === "command" ? COMMANDS[name] : BUTTONS[name];
    if (!spec) throw new Error(`no spec for ${name}`);
    await clearRedis();

    // The message a button sits on, and what it needs to mean something.
    let anchor: number | undefined;
    if (kind === "button") {
      const button = spec as ButtonSpec;
      anchor =
        button.anchor === "photo"
          ? (await api.sendPhoto(chatId, new InputFile(TINY_PNG), { caption: "anchor" })).message_id
          : (await api.sendMessage(chatId, "anchor")).message_id;
      const where = { chatId, messageId: anchor };
      if (button.armed) {
        await confirmations.arm(where, { action: button.armed, instance: "shop", userId });
      }
      if (button.phone)
        await redis.set(`${prefix}:pairing-phone:${chatId}:${anchor}`, "79001234567");
      if (button.knownPhone)
        await redis.hset(
          `${prefix}:phones`,
          "shop",
          JSON.stringify({ phone: "79001234567", at: Date.now() }),
        );
    }
    const before = await redisSnapshot();
    const callsFrom = h.telegram.calls.length;
    const greenApiFrom = h.greenApi.calls.length;

    const updateId =
      kind === "command"
        ? h.telegram.userSends({
            chatId,
            fromId: userId,
            chatType: type,
            text: (spec as { text: string }).text,
          }).updateId
        : h.telegram.userPresses({
            chatId,
            fromId: userId,
            messageId: anchor ?? 0,
            data: (spec as ButtonSpec).data,
          }).updateId;
    await eventually(
      () =>
        h.logLines.some(
          (line) => line.includes(`"updateId":${updateId},`) && line.includes("update handled"),
        ),
      `update ${updateId} handled`,
    );

    const seen = describeCalls(h.telegram.calls.slice(callsFrom), chatId, userId);
    // Whether /status also asks for the phone number depends on the state: not what this tests.
    const greenApiCalls = h.greenApi.calls
      .slice(greenApiFrom)
      .map((call) => call.method)
      .filter((method) => method !== "getWaSettings");
    const after = await redisSnapshot();
    const changed = [...new Set([...before.keys(), ...after.keys()])]
      .filter((key) => before.get(key) !== after.get(key))
      .filter((key) => key !== "audit")
      .sort();

    // No QR and no pairing code is ever shown in a group the admin did not trust: no new
    // photo there, and no picture it ever showed scans.
    for (const call of h.telegram.calls.slice(callsFrom)) {
      if (Number(call.params.chat_id) !== UNTRUSTED_GROUP) continue;
      expect(call.method).not.toBe("sendPhoto");
      expect(String(call.params.text ?? call.params.caption ?? "")).not.toMatch(
        /[A-Z0-9]{4}-[A-Z0-9]{4}/,
      );
    }
    for (const message of h.telegram.messagesIn(UNTRUSTED_GROUP)) {
      for (const version of message.history) {
        if (version.photo) expect(await scanPng(version.photo)).toBeNull();
      }
    }

    if (!allowed(user, name, spec.need)) {
      expect(seen.map((line) => line.slice(0, 90))).toEqual(
        deniedEffect(user, chat, name, kind, spec.need).map((start) =>
          expect.stringContaining(start),
        ),
      );
      expect(greenApiCalls).toEqual([]);
      expect(changed).toEqual([]);
      return;
    }

    // Secrets asked in an untrusted group go to the asker's private chat, with one line here.
    const secretPrivately =
      spec.secret === true &&
      (chat === "untrusted group" || (spec.privateOnly === true && chat !== "private chat"));
    const effect = (ALLOWED_EFFECT[name] ?? []).map((line) =>
      typeof line === "string"
        ? line.replace("@", secretPrivately ? "private" : "here")
        : new RegExp(line.source.replace("@", secretPrivately ? "private" : "here"), line.flags),
    );
    const expected = [...effect];
    if (secretPrivately)
      expected.push(
        /^send here text 🔒 The code for shop is a key to its WhatsApp: I sent it to you in a private chat\./,
      );
    for (const line of expected) {
      const matches = seen.filter((s) =>
        typeof line === "string" ? s.includes(line) : line.test(s),
      );
      expect(matches, `${String(line)} in ${JSON.stringify(seen)}`).not.toHaveLength(0);
    }
    expect(seen.filter((s) => s.startsWith("failed"))).toEqual([]);
    if (!secretPrivately) expect(seen.filter((s) => s.includes(" private "))).toEqual([]);
    expect([...new Set(greenApiCalls)].sort()).toEqual([...(ALLOWED_GREEN_API[name] ?? [])].sort());
    for (const key of ALLOWED_REDIS[name] ?? []) {
      expect(
        changed.some((k) => key.test(k)),
        `${String(key)} in ${JSON.stringify(changed)}`,
      ).toBe(true);
    }
  });
});

/** A 1×1 PNG: the photo a QR button's message carries before any QR. */
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
