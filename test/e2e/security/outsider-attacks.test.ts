import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramSecretToken } from "../../../src/config/webhook-secrets.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
} from "../../kit/app-harness.js";
import { textMessages } from "../../kit/chat.js";
import { eventually, pause } from "../../kit/wait.js";
import {
  alertsIn,
  firstRunDone,
  httpUrl,
  postWebhook,
  startWatching,
  stateNotification,
  WEBHOOK_SECRET,
} from "../alerts/kit.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";

/**
 * Issue #22 review: what an outsider (or a team member reaching past their role) would try
 * against the merged fixes, through the two webhooks as Telegram and GREEN-API would call them.
 * Each case names what must hold; every log line of the run is searched for secrets at the end.
 */
const ADMIN = 4004;
const SECOND_ADMIN = 4006;
const VIEWER = 4005;
const PHONE = "79001234567";

/** The documented formula (README "GREEN-API webhook"), written out, not imported. */
const tokenOf = (idInstance: string) =>
  documentedInstanceToken(h.env.BOT_TOKEN ?? "", WEBHOOK_SECRET, idInstance);

let h: Harness;
let secret: string;
let updateId = 1;
let messageId = 9000;
let queryId = 1;

beforeAll(async () => {
  h = await startWatching({
    env: {
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://greenlight.example.com",
      STATE_POLL_INTERVAL_MS: "60000",
      ADMIN_IDS: `${ADMIN},${SECOND_ADMIN}`,
      VIEWER_IDS: String(VIEWER),
      CONFIRM_TTL_MS: "1500",
    },
  });
  for (const id of [ADMIN, SECOND_ADMIN, VIEWER, STRANGER]) h.telegram.userStartedBot(id);
  secret = telegramSecretToken(h.config.env);
  await firstRunDone(h);
});
afterAll(async () => h.close());

/** The process Telegram posts to: the harness's, until a test restarts it with other lists. */
let telegramWebhookUrl = () => httpUrl(h, "/telegram/webhook");

function postUpdate(update: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(telegramWebhookUrl(), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-telegram-bot-api-secret-token": secret,
      ...headers,
    },
    body: JSON.stringify({ update_id: updateId++, ...update }),
  });
}

const chatOf = (chatId: number) =>
  chatId > 0
    ? { id: chatId, type: "private", first_name: "U" }
    : { id: chatId, type: "supergroup", title: "ops" };
const userOf = (id: number) => ({ id, is_bot: false, first_name: "U", language_code: "en" });

/** A command as Telegram delivers it; resolves once the bot's handlers are done. */
async function command(fromId: number, text: string, chatId = fromId): Promise<void> {
  const length = /^\/\S+/.exec(text)?.[0].length ?? 0;
  const answer = await postUpdate({
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(chatId),
      from: userOf(fromId),
      text,
      entities: [{ type: "bot_command", offset: 0, length }],
    },
  });
  expect(answer.status).toBe(200);
}

/** A press on a bot message with any callback_data (forged or not). */
async function pressOn(fromId: number, chatId: number, onMessage: number, data: string) {
  const answer = await postUpdate({
    callback_query: {
      id: String(queryId++),
      from: userOf(fromId),
      chat_instance: "1",
      data,
      message: {
        message_id: onMessage,
        date: Math.floor(Date.now() / 1000),
        chat: chatOf(chatId),
        from: { id: 1, is_bot: true, first_name: "bot", username: "greenlight_test_bot" },
        text: "…",
      },
    },
  });
  expect(answer.status).toBe(200);
}

/** The bot's last text message in a chat that contains `fragment`. */
function lastText(chatId: number, fragment: string) {
  return textMessages(h, chatId)
    .filter((m) => m.text?.includes(fragment))
    .at(-1);
}

type Entity = { type: string; offset: number; length: number };

/** Any message as Telegram could deliver it; returns what the bot sent for it. */
async function raw(fromId: number, fields: Record<string, unknown>, kind = "message") {
  const before = h.telegram.calls.length;
  const answer = await postUpdate({
    [kind]: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(fromId),
      from: userOf(fromId),
      ...(kind === "edited_message" ? { edit_date: Math.floor(Date.now() / 1000) } : {}),
      ...fields,
    },
  });
  expect(answer.status).toBe(200);
  return h.telegram.calls
    .slice(before)
    .filter((call) => call.method.startsWith("send"))
    .map((call) => String(call.params.text ?? "").replace(/<[^>]+>/g, ""));
}
const cmd = (offset: number, length: number): Entity => ({ type: "bot_command", offset, length });
const ADMIN_ONLY = "🔒 Not allowed: this needs an admin of at least one instance.";

describe("commands in every shape, from someone whose role does not reach them", () => {
  it("reads only the command at offset 0, in any case, and refuses an operator's /audit however it is dressed", async () => {
    // Two commands: the first is the one; "/help /audit" is help.
    const two = await raw(OPERATOR, { text: "/help /audit", entities: [cmd(6, 6), cmd(0, 5)] });
    expect(two).toHaveLength(1);
    expect(two[0]).not.toContain("🧾");
    expect(await raw(OPERATOR, { text: "/AUDIT", entities: [cmd(0, 6)] })).toEqual([ADMIN_ONLY]);
    const mention = "/Audit@GREENLIGHT_TEST_BOT";
    expect(await raw(OPERATOR, { text: mention, entities: [cmd(0, mention.length)] })).toEqual([
      ADMIN_ONLY,
    ]);
    // An entity that covers less or more than the command word: no such command, /audit not run.
    expect(await raw(OPERATOR, { text: "/audit", entities: [cmd(0, 3)] })).toEqual([
      "Unknown command /au. /help lists yours.",
    ]);
    expect(await raw(OPERATOR, { text: "/audit x", entities: [cmd(0, 8)] })).toEqual([
      "Unknown command /audit x. /help lists yours.",
    ]);
    expect(
      await raw(OPERATOR, { caption: "/logout shop", caption_entities: [cmd(0, 7)], photo: [] }),
    ).toEqual(["🔒 You are an operator of shop: this needs an admin. Ask an admin of this bot."]);
  });

  it("acts on no edited message, even an admin's /logout", async () => {
    const edited = await raw(
      ADMIN,
      { text: "/logout shop", entities: [cmd(0, 7)] },
      "edited_message",
    );
    expect(edited).toEqual([]);
    const other = "/logout@other_bot shop";
    expect(await raw(ADMIN, { text: other, entities: [cmd(0, 17)] })).toEqual([]);
    expect(h.greenApi.callsOf("logout")).toEqual([]);
  });
});

describe("GREEN-API's webhook, as someone holding one instance's token", () => {
  const notify = (body: unknown, authorization: string | null) =>
    postWebhook(h, body, authorization).then((r) => r.status);

  it("takes shop's token for shop whatever the idInstance's JSON type, and nothing else", async () => {
    const shopToken = tokenOf(SHOP.idInstance);
    const asString = {
      ...stateNotification(SHOP.idInstance, "authorized"),
      instanceData: { idInstance: SHOP.idInstance },
    };
    expect(
      await notify(stateNotification(SHOP.idInstance, "authorized"), `Bearer ${shopToken}`),
    ).toBe(200);
    expect(await notify(asString, `Bearer ${shopToken}`)).toBe(200);
    // Spaces, a leading zero or no idInstance at all do not name shop: its token vouches for none.
    for (const idInstance of [` ${SHOP.idInstance}`, `0${SHOP.idInstance}`, undefined]) {
      const body = { ...asString, instanceData: idInstance === undefined ? {} : { idInstance } };
      expect(await notify(body, `Bearer ${shopToken}`)).toBe(401);
    }
    // Another instance's notification with shop's token, in any header spelling.
    const forSupport = stateNotification(SUPPORT.idInstance, "notAuthorized");
    for (const header of [`Bearer ${shopToken}`, `bearer   ${shopToken}  `, shopToken]) {
      expect(await notify(forSupport, header)).toBe(401);
    }
    expect(await notify(forSupport, `Basic ${tokenOf(SUPPORT.idInstance)}`)).toBe(401);
    expect(await notify(forSupport, `BEARER  ${tokenOf(SUPPORT.idInstance)} `)).toBe(200);
  });

  it("reads a body with two idInstance keys as JSON.parse does, for the check and the verdict alike", async () => {
    const shopToken = tokenOf(SHOP.idInstance);
    const supportFirst = `{"typeWebhook":"stateInstanceChanged","instanceData":{"idInstance":${SUPPORT.idInstance},"idInstance":${SHOP.idInstance}},"timestamp":${Math.floor(Date.now() / 1000)},"stateInstance":"authorized"}`;
    expect(await notify(supportFirst, `Bearer ${shopToken}`)).toBe(200);
    const shopFirst = `{"typeWebhook":"stateInstanceChanged","instanceData":{"idInstance":${SHOP.idInstance},"idInstance":${SUPPORT.idInstance}},"timestamp":${Math.floor(Date.now() / 1000)},"stateInstance":"notAuthorized"}`;
    expect(await notify(shopFirst, `Bearer ${shopToken}`)).toBe(401);
    await pause(300);
    expect(alertsIn(h, ADMIN).filter((a) => a.text?.includes("support"))).toEqual([]);
  });
});

describe("Telegram's webhook, as a forger", () => {
  it("refuses a duplicated or empty secret header and takes the header in any case", async () => {
    const update = JSON.stringify({ update_id: updateId++ });
    const url = httpUrl(h, "/telegram/webhook");
    const twice = await fetch(url, {
      method: "POST",
      headers: [
        ["x-telegram-bot-api-secret-token", secret],
        ["x-telegram-bot-api-secret-token", secret],
      ],
      body: update,
    });
    expect(twice.status).toBe(401);
    const empty = await fetch(url, {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": "" },
      body: update,
    });
    expect(empty.status).toBe(401);
    const upper = await fetch(url, {
      method: "POST",
      headers: { "X-TELEGRAM-BOT-API-SECRET-TOKEN": secret },
      body: update,
    });
    expect(upper.status).toBe(200);
  });
});

describe("confirmations, pressed by the wrong person, for the wrong thing, or too late", () => {
  it("logs shop out only on its asker's own Yes, in time, once", async () => {
    await command(ADMIN, "/logout shop", GROUP_CHAT);
    const question = await eventually(() => lastText(GROUP_CHAT, "Log out"), "the question");
    const at = question.messageId;
    // Another admin's Yes, an operator's Yes, a viewer's, a stranger's: nothing happens.
    for (const who of [SECOND_ADMIN, OPERATOR, VIEWER, STRANGER]) {
      await pressOn(who, GROUP_CHAT, at, "adm:logout-yes:shop");
    }
    // The asker's Yes for another instance, or another action, on this message: nothing either.
    await pressOn(ADMIN, GROUP_CHAT, at, "adm:logout-yes:support");
    await pressOn(ADMIN, GROUP_CHAT, at, "adm:reboot-yes:shop");
    await pressOn(ADMIN, GROUP_CHAT, at, "code:logout-yes:shop");
    // An operator's No does not withdraw it.
    await pressOn(OPERATOR, GROUP_CHAT, at, "adm:no:shop");
    expect(h.greenApi.callsOf("logout")).toEqual([]);
    expect(h.greenApi.callsOf("reboot")).toEqual([]);

    await pressOn(ADMIN, GROUP_CHAT, at, "adm:logout-yes:shop");
    await pressOn(ADMIN, GROUP_CHAT, at, "adm:logout-yes:shop");
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    expect(h.greenApi.callsOf("logout", SUPPORT.idInstance)).toEqual([]);
  });

  it("does nothing on a Yes after the confirmation expired", async () => {
    const before = h.greenApi.callsOf("reboot").length;
    await command(ADMIN, "/reboot support", ADMIN);
    const question = await eventually(() => lastText(ADMIN, "Reboot"), "the question");
    await pause(1_800);
    await pressOn(ADMIN, ADMIN, question.messageId, "adm:reboot-yes:support");
    expect(h.greenApi.callsOf("reboot")).toHaveLength(before);
  });

  it("refuses malformed and oversized callback_data without a GREEN-API call", async () => {
    const before = h.greenApi.calls.length;
    const at = (await eventually(() => lastText(GROUP_CHAT, "shop"), "a message")).messageId;
    for (const data of [
      "adm:logout-yes:shop:extra",
      "adm:logout-yes:SHOP",
      "adm:logout-yes:",
      "adm::shop",
      `adm:logout-yes:${"s".repeat(60)}`,
      "adm:logout-yes:shop\u0000",
      "qr:start:../shop",
      "code:known:shop%20",
      "st:page:-1",
      "dg:page:0:0",
    ]) {
      await pressOn(ADMIN, GROUP_CHAT, at, data);
    }
    const mutating = h.greenApi.calls
      .slice(before)
      .filter((c) =>
        ["logout", "reboot", "getAuthorizationCode", "setSettings", "qr"].includes(c.method),
      );
    expect(mutating).toEqual([]);
  });
});

describe("pairing-code prompts and deep links, by someone they are not for", () => {
  it("asks no code for a viewer's or a stranger's typed reply, nor for their /start code-shop", async () => {
    await command(OPERATOR, "/code shop", GROUP_CHAT);
    const prompt = await eventually(() => lastText(GROUP_CHAT, "phone number"), "the prompt");
    for (const who of [VIEWER, STRANGER]) {
      const answer = await postUpdate({
        message: {
          message_id: messageId++,
          date: Math.floor(Date.now() / 1000),
          chat: chatOf(GROUP_CHAT),
          from: userOf(who),
          text: `+${PHONE}`,
          reply_to_message: {
            message_id: prompt.messageId,
            date: Math.floor(Date.now() / 1000),
            chat: chatOf(GROUP_CHAT),
            from: { id: 1, is_bot: true, first_name: "bot", username: "greenlight_test_bot" },
            text: prompt.text,
          },
        },
      });
      expect(answer.status).toBe(200);
      await command(who, "/start code-shop");
      await command(who, "/start qr-shop");
    }
    expect(h.greenApi.callsOf("getAuthorizationCode")).toEqual([]);
    expect(h.greenApi.callsOf("qr")).toEqual([]);
  });
});

const UNTRUSTED_GROUP = -100777;

describe("Telegram failing in the middle of a flow", () => {
  it("shows no code in an untrusted group when the asker's private chat refuses the bot", async () => {
    // ADMIN writes in no private chat after this.
    h.telegram.userBlocksBot(ADMIN);
    await command(ADMIN, `/code shop +${PHONE}`, UNTRUSTED_GROUP);
    await eventually(() => lastText(UNTRUSTED_GROUP, "private chat"), "the Start line");
    expect(h.greenApi.callsOf("getAuthorizationCode")).toEqual([]);
    for (const m of textMessages(h, UNTRUSTED_GROUP)) expect(m.text).not.toMatch(/\d{3}/);
  });

  it("issues a code in the trusted group with the phone masked there", async () => {
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    await command(OPERATOR, `/code shop +${PHONE}`, GROUP_CHAT);
    await eventually(() => h.greenApi.instance(SHOP.idInstance).authorizationCodes()[0], "a code");
    await pause(200);
  });
});

describe("rights taken away between the question and the Yes", () => {
  it("refuses the Yes of an admin taken off ADMIN_IDS since they asked, after the restart", async () => {
    await command(SECOND_ADMIN, "/reboot shop", SECOND_ADMIN);
    const question = await eventually(() => lastText(SECOND_ADMIN, "Reboot"), "the question");
    const reboots = h.greenApi.callsOf("reboot").length;
    // The admin list changes (SECOND_ADMIN is now an operator) and the process restarts.
    await h.app.stop();
    const restarted = await h.startAnother({
      ADMIN_IDS: String(ADMIN),
      OPERATOR_IDS: `${OPERATOR},${SECOND_ADMIN}`,
      CONFIRM_TTL_MS: "60000",
    });
    const port = restarted.httpPort();
    telegramWebhookUrl = () => `http://127.0.0.1:${port}/telegram/webhook`;
    await pressOn(SECOND_ADMIN, SECOND_ADMIN, question.messageId, "adm:reboot-yes:shop");
    await pressOn(SECOND_ADMIN, SECOND_ADMIN, question.messageId, "qr:logout-yes:shop");
    await pressOn(SECOND_ADMIN, SECOND_ADMIN, question.messageId, "code:logout-yes:shop");
    expect(h.greenApi.callsOf("reboot")).toHaveLength(reboots);
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    // The restarted process read the presses: each one answered that an operator cannot.
    const answers = h.telegram
      .callsOf("answerCallbackQuery")
      .slice(-3)
      .map((call) => String(call.params.text));
    expect(answers).toEqual(Array(3).fill(answers[0]));
    expect(answers[0]).toMatch(/operator.*admin/);
  });
});

describe("what the run wrote in its log", () => {
  it("holds no token, secret, full phone number or pairing code", () => {
    const secrets = [
      h.env.BOT_TOKEN ?? "",
      WEBHOOK_SECRET,
      secret,
      SHOP.apiTokenInstance,
      SUPPORT.apiTokenInstance,
      tokenOf(SHOP.idInstance),
      tokenOf(SUPPORT.idInstance),
      PHONE,
    ];
    const log = h.logLines.join("\n");
    for (const leak of secrets) expect(log).not.toContain(leak);
    for (const code of h.greenApi.instance(SHOP.idInstance).authorizationCodes()) {
      expect(log).not.toContain(code);
      expect(log).not.toContain(code.replace(/^(.{4})(.{4})$/, "$1-$2"));
    }
  });
});
