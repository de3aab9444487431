// Tests of the test fakes themselves, driven by the real clients (grammY, fetch, ioredis).
import { run } from "@grammyjs/runner";
import { Api, Bot, GrammyError, InlineKeyboard, InputFile, InputMediaBuilder } from "grammy";
import { Redis } from "ioredis";
import QRCode from "qrcode";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { scanPng } from "../kit/qr-decode.js";
import { redisUrl, uniquePrefix } from "../kit/redis.js";
import { FakeGreenApi, type FakeInstance } from "./fake-green-api.js";
import { FakeTelegram } from "./fake-telegram.js";

const CHAT = 4242;

const png = (text: string) => QRCode.toBuffer(text, { type: "png", width: 120 });

/** The error a grammY call rejected with. */
async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError))
    throw new Error(`expected a GrammyError, got ${String(error)}`);
  return error;
}

describe("FakeTelegram", () => {
  let tg: FakeTelegram;
  let api: Api;

  beforeEach(async () => {
    tg = await FakeTelegram.start();
    tg.userStartedBot(CHAT);
    api = new Api(tg.token, { apiRoot: tg.apiRoot });
  });

  it("refuses to write first to a user who never started the bot, as Telegram does", async () => {
    const stranger = 4343;
    const refused = await grammyError(api.sendMessage(stranger, "hi"));
    expect(refused.error_code).toBe(403);
    expect(refused.description).toBe("Forbidden: bot can't initiate conversation with a user");
    tg.userSends({ chatId: stranger, fromId: stranger, text: "/start" });
    expect((await api.sendMessage(stranger, "hi")).text).toBe("hi");
  });

  it("deletes a user's message in a private chat, and in a group only as its admin", async () => {
    const inPrivate = tg.userSends({ chatId: CHAT, fromId: CHAT, text: "secret" });
    await api.deleteMessage(CHAT, inPrivate.messageId);
    expect(tg.userMessage(CHAT, inPrivate.messageId)?.deleted).toBe(true);
    const group = -100300;
    const inGroup = tg.userSends({ chatId: group, fromId: CHAT, chatType: "group", text: "x" });
    const refused = await grammyError(api.deleteMessage(group, inGroup.messageId));
    expect(refused.description).toBe("Bad Request: message can't be deleted for everyone");
    tg.botIsAdminIn(group);
    await api.deleteMessage(group, inGroup.messageId);
    expect(tg.userMessage(group, inGroup.messageId)?.deleted).toBe(true);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await tg.close();
  });

  it("stores the exact bytes of an uploaded photo and replaces them on editMessageMedia", async () => {
    const first = await png("first");
    const second = await png("second");
    const keyboard = new InlineKeyboard().text("Cancel", "qr:cancel");

    const sent = await api.sendPhoto(CHAT, new InputFile(first), {
      caption: "Scan me",
      reply_markup: keyboard,
    });
    expect(sent.photo.at(-1)?.width).toBe(120);
    expect(sent.caption).toBe("Scan me");
    expect(sent.reply_markup).toEqual(keyboard);
    expect(sent.from?.username).toBe("greenlight_test_bot");
    let stored = tg.message(CHAT, sent.message_id);
    expect(stored?.photo?.equals(first)).toBe(true);
    // multipart values are read like Telegram reads them
    const call = tg.callsOf("sendPhoto")[0];
    expect(call?.params.chat_id).toBe(CHAT);
    expect(call?.params.reply_markup).toEqual(keyboard);

    const edited = await api.editMessageMedia(
      CHAT,
      sent.message_id,
      InputMediaBuilder.photo(new InputFile(second), { caption: "Scan me again" }),
      { reply_markup: keyboard },
    );
    expect(edited).not.toBe(true);
    stored = tg.message(CHAT, sent.message_id);
    expect(stored?.photo?.equals(second)).toBe(true);
    expect(stored?.caption).toBe("Scan me again");
    expect(stored?.editCount).toBe(1);
    expect(stored?.history.map((v) => v.caption)).toEqual(["Scan me", "Scan me again"]);
    expect(await scanPng(stored?.photo ?? Buffer.alloc(0))).toBe("second");

    // The same bytes, caption and keyboard again: Telegram refuses.
    const same = InputMediaBuilder.photo(new InputFile(second), { caption: "Scan me again" });
    const notModified = await grammyError(
      api.editMessageMedia(CHAT, sent.message_id, same, { reply_markup: keyboard }),
    );
    expect(notModified.error_code).toBe(400);
    expect(notModified.description).toMatch(
      /^Bad Request: message is not modified: specified new message content/,
    );

    // An edit without reply_markup drops the keyboard, as in Telegram.
    await api.editMessageCaption(CHAT, sent.message_id, { caption: "no buttons" });
    expect(tg.message(CHAT, sent.message_id)?.replyMarkup).toBeUndefined();

    const noText = await grammyError(api.editMessageText(CHAT, sent.message_id, "text"));
    expect(noText.description).toBe("Bad Request: there is no text in the message to edit");

    // A file_id handed out earlier can be sent again.
    const fileId = sent.photo.at(-1)?.file_id ?? "";
    const again = await api.sendPhoto(CHAT, fileId);
    expect(tg.message(CHAT, again.message_id)?.photo?.equals(first)).toBe(true);
    expect(again.message_id).toBe(sent.message_id + 1);

    const notImage = await grammyError(
      api.sendPhoto(CHAT, new InputFile(Buffer.from("not a png"))),
    );
    expect(notImage.description).toBe("Bad Request: IMAGE_PROCESS_FAILED");
  });

  it("handles text messages: parse_mode, edits, deletes and Telegram's error texts", async () => {
    const sent = await api.sendMessage(CHAT, "<b>Shop</b> is &lt;offline&gt;", {
      parse_mode: "HTML",
    });
    expect(sent.text).toBe("Shop is <offline>");
    expect(tg.messagesIn(CHAT).map((m) => m.text)).toEqual(["Shop is <offline>"]);

    const badHtml = await grammyError(api.sendMessage(CHAT, "1 < 2", { parse_mode: "HTML" }));
    expect(badHtml.description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`,
    );
    const badV2 = await grammyError(api.sendMessage(CHAT, "Done.", { parse_mode: "MarkdownV2" }));
    expect(badV2.description).toMatch(/Character '\.' is reserved/);

    const sameText = await grammyError(
      api.editMessageText(CHAT, sent.message_id, "<b>Shop</b> is &lt;offline&gt;", {
        parse_mode: "HTML",
      }),
    );
    expect(sameText.description).toMatch(/message is not modified/);
    await api.editMessageText(CHAT, sent.message_id, "Shop is online");
    expect(tg.message(CHAT, sent.message_id)?.text).toBe("Shop is online");

    const noMedia = await grammyError(
      api.editMessageMedia(
        CHAT,
        sent.message_id,
        InputMediaBuilder.photo(new InputFile(await png("x"))),
      ),
    );
    expect(noMedia.description).toBe("Bad Request: there is no media in the message to edit");

    const missing = await grammyError(api.editMessageText(CHAT, 999, "x"));
    expect(missing.description).toBe("Bad Request: message to edit not found");

    expect(await api.deleteMessage(CHAT, sent.message_id)).toBe(true);
    expect(tg.message(CHAT, sent.message_id)?.deleted).toBe(true);
    const gone = await grammyError(api.editMessageText(CHAT, sent.message_id, "again"));
    expect(gone.description).toBe("Bad Request: message to edit not found");

    const longData = await grammyError(
      api.sendMessage(CHAT, "x", { reply_markup: new InlineKeyboard().text("b", "d".repeat(65)) }),
    );
    expect(longData.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("delivers userSends and userPresses to bot.start() without waiting out the long poll", async () => {
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    bot.command("start", (ctx) =>
      ctx.reply(`hello ${ctx.from?.language_code}`, {
        reply_markup: new InlineKeyboard().text("Go", "go"),
      }),
    );
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery({ text: `got ${ctx.callbackQuery.data}` });
      await ctx.editMessageText(`pressed in ${ctx.callbackQuery.message?.chat.id}`);
    });
    bot.catch((error) => {
      throw error.error;
    });
    const polling = bot.start();

    const t0 = Date.now();
    const { messageId: commandId } = tg.userSends({
      chatId: CHAT,
      fromId: CHAT,
      text: "/start",
      languageCode: "ru",
    });
    const reply = await tg.waitFor((c) => c.method === "sendMessage");
    expect(Date.now() - t0).toBeLessThan(2000); // getUpdates waits up to 30 s: the fake woke it
    expect(reply.params.text).toBe("hello ru");
    const replyId = commandId + 1; // user and bot messages share the chat's counter
    expect(tg.message(CHAT, replyId)?.text).toBe("hello ru");

    const { callbackQueryId } = tg.userPresses({
      chatId: CHAT,
      fromId: CHAT,
      messageId: replyId,
      data: "go",
      requireButton: true,
    });
    await tg.waitFor((c) => c.method === "editMessageText");
    expect(tg.answeredCallback(callbackQueryId)?.params.text).toBe("got go");
    expect(tg.message(CHAT, replyId)?.text).toBe(`pressed in ${CHAT}`);
    expect(() =>
      tg.userPresses({
        chatId: CHAT,
        fromId: CHAT,
        messageId: replyId,
        data: "nope",
        requireButton: true,
      }),
    ).toThrow(/no button/);

    await bot.stop();
    await polling;
    expect(tg.callsOf("getMe")).toHaveLength(1);
    expect(tg.callsOf("deleteWebhook")).toHaveLength(1);
  });

  it("delivers updates to @grammyjs/runner", async () => {
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const seen: string[] = [];
    bot.on("message:text", (ctx) => {
      seen.push(ctx.message.text);
    });
    const runner = run(bot);
    tg.userSends({ chatId: -100777, fromId: 5, chatType: "supergroup", text: "one" });
    tg.userSends({
      chatId: -100777,
      fromId: 5,
      chatType: "supergroup",
      text: "/two@greenlight_test_bot x",
    });
    await vi.waitFor(() => expect(seen).toEqual(["one", "/two@greenlight_test_bot x"]), {
      timeout: 5000,
    });
    await runner.stop();
  });

  it("fails the next calls with failNext, retry_after included", async () => {
    tg.failNext("sendMessage", {
      errorCode: 429,
      description: "Too Many Requests: retry after 7",
      retryAfter: 7,
    });
    const limited = await grammyError(api.sendMessage(CHAT, "hi"));
    expect(limited.error_code).toBe(429);
    expect(limited.parameters.retry_after).toBe(7);
    expect((await api.sendMessage(CHAT, "hi")).text).toBe("hi");
    expect(tg.callsOf("sendMessage").map((c) => c.ok)).toEqual([false, true]);

    tg.failNext(
      "answerCallbackQuery",
      { errorCode: 403, description: "Forbidden: bot was blocked by the user" },
      2,
    );
    for (let i = 0; i < 2; i++) {
      expect((await grammyError(api.answerCallbackQuery("1"))).error_code).toBe(403);
    }
    const stale = await grammyError(api.answerCallbackQuery("1"));
    expect(stale.description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
  });

  it("answers a wrong token with 401 and an unknown method with 404", async () => {
    const wrong = await fetch(`${tg.apiRoot}/bot1:wrong/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    const unknown = await fetch(`${tg.apiRoot}/bot${tg.token}/sendTelepathy`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { description: string }).description).toBe(
      "Not Found: method not found",
    );
    // GET with a query string works too.
    const me = await fetch(`${tg.apiRoot}/bot${tg.token}/getMe?x=1`);
    expect(((await me.json()) as { result: { first_name: string } }).result.first_name).toBe(
      "greenlight",
    );
  });

  it("ends the older of two concurrent getUpdates with 409, and releases a poll on close", async () => {
    const poll = (timeout: number) =>
      fetch(`${tg.apiRoot}/bot${tg.token}/getUpdates?timeout=${timeout}`).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { ok: boolean; result?: unknown[] },
      }));
    const first = poll(30);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = poll(30);
    expect((await first).status).toBe(409);
    const t0 = Date.now();
    await tg.close();
    expect(await second).toEqual({ status: 200, body: { ok: true, result: [] } });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("enforces flood limits when asked: burst per chat, 20 a minute per group", async () => {
    const limited = await FakeTelegram.start({ enforceRateLimits: true });
    limited.userStartedBot(CHAT);
    const lapi = new Api(limited.token, { apiRoot: limited.apiRoot });
    try {
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((i) => lapi.sendMessage(CHAT, `m${i}`)),
      );
      const refused = results.filter((r) => r.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      const reason = (refused[0] as PromiseRejectedResult).reason as GrammyError;
      expect(reason.error_code).toBe(429);
      expect(reason.description).toMatch(/^Too Many Requests: retry after \d+$/);
      expect(reason.parameters.retry_after).toBeGreaterThanOrEqual(1);

      // Only Date is faked: the HTTP round trips keep real timers.
      vi.useFakeTimers({ toFake: ["Date"] });
      const group = -100200;
      for (let i = 0; i < 20; i++) {
        vi.setSystemTime(Date.now() + 1500);
        await lapi.sendMessage(group, `g${i}`);
      }
      vi.setSystemTime(Date.now() + 1500);
      const full = await grammyError(lapi.sendMessage(group, "one too many"));
      expect(full.error_code).toBe(429);
      expect(full.parameters.retry_after).toBeGreaterThan(20);
    } finally {
      vi.useRealTimers();
      await limited.close();
    }
  });
});

describe("FakeGreenApi", () => {
  const ID = 1101000001;
  const TOKEN = "abcdef0123456789abcdef0123456789abcdef0123456789ab";
  let ga: FakeGreenApi;
  let instance: FakeInstance;
  const url = (method: string, token = TOKEN, id: string | number = ID) =>
    `${ga.apiUrl}/waInstance${id}/${method}/${token}`;
  const get = async (method: string) =>
    (await fetch(url(method))).json() as Promise<Record<string, unknown>>;
  const qrPayload = async () => {
    const body = (await get("qr")) as { type: string; message: string };
    expect(body.type).toBe("qrCode");
    return scanPng(Buffer.from(body.message, "base64"));
  };

  beforeEach(async () => {
    ga = await FakeGreenApi.start();
    instance = ga.addInstance({ idInstance: ID, apiTokenInstance: TOKEN, qrRotateMs: 300 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await ga.close();
  });

  it("serves a real QR code whose payload rotates", async () => {
    // Rotation follows Date.now(): fake only Date so that slow PNG decoding cannot race it.
    vi.useFakeTimers({ toFake: ["Date"] });
    instance.rotateQr();
    const first = await qrPayload();
    expect(first).toBe(instance.currentQrPayload());
    expect(first).toMatch(/^2@fake-1101000001-/);
    expect(await qrPayload()).toBe(first); // same QR until it rotates

    vi.setSystemTime(Date.now() + 300);
    const second = await qrPayload();
    expect(second).not.toBe(first);
    expect(second).toBe(instance.currentQrPayload());

    const forced = instance.rotateQr();
    expect(await qrPayload()).toBe(forced);
    expect(instance.servedPayloads()).toEqual([first, second, forced]);
    expect(ga.callsOf("qr", ID).map((c) => c.status)).toEqual([200, 200, 200, 200]);
  });

  it("models authorization, logout, pairing codes and state history", async () => {
    expect(await get("getStateInstance")).toEqual({ stateInstance: "notAuthorized" });
    expect((await get("getWaSettings")).phone).toBe("");

    instance.authorize("79990001122");
    expect(await get("qr")).toEqual({
      type: "alreadyLogged",
      message: "instance account already authorized",
    });
    expect(await get("getWaSettings")).toEqual({
      avatar: "",
      phone: "79990001122",
      stateInstance: "authorized",
      deviceId: "fake-device",
    });

    expect(await get("logout")).toEqual({ isLogout: true });
    expect(instance.state).toBe("notAuthorized");
    instance.needsLogout = true;
    expect(await get("qr")).toEqual({
      type: "error",
      message: "Instance has auth. You need to make log out",
    });
    expect(await get("reboot")).toEqual({ isReboot: true });

    const post = (body: unknown) =>
      fetch(url("getAuthorizationCode"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    // The same unusable login refuses a pairing code too (REAL-API.md: modelled on `qr`).
    expect(await (await post({ phoneNumber: 79001234567 })).json()).toEqual({
      status: false,
      code: "",
      message: "Instance has auth. You need to make log out",
    });
    instance.needsLogout = false;
    const ok = await post({ phoneNumber: 79001234567 });
    const code = (await ok.json()) as { status: boolean; code: string };
    expect(code.status).toBe(true);
    expect(code.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(instance.authorizationCodes()).toEqual([code.code]);
    expect((await post({ phoneNumber: "+79001234567" })).status).toBe(400);
    expect((await post({})).status).toBe(400);

    const history = (await (await fetch(url("getStateInstanceHistory"))).json()) as Array<{
      stateInstance: string;
    }>;
    expect(history.map((h) => h.stateInstance)).toEqual([
      "notAuthorized",
      "authorized",
      "notAuthorized",
    ]);

    // State changes are also queued as notifications.
    const note = (await get("receiveNotification")) as {
      receiptId: number;
      body: { stateInstance: string };
    };
    expect(note.body.stateInstance).toBe("authorized");
    const del = await fetch(`${url("deleteNotification")}/${note.receiptId}`, { method: "DELETE" });
    expect(await del.json()).toEqual({ result: true });
  });

  it("plays scripted responses in order: 500, invalid JSON, delay, hang; then normal behaviour", async () => {
    ga.script(
      ID,
      "qr",
      { status: 500 },
      { raw: "{not json" },
      { delayMs: 200, json: { type: "error", message: "slow" } },
      { hang: true },
    );

    expect((await fetch(url("qr"))).status).toBe(500);
    await expect((await fetch(url("qr"))).json()).rejects.toThrow(SyntaxError);

    const t0 = Date.now();
    expect(await get("qr")).toEqual({ type: "error", message: "slow" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);

    await expect(fetch(url("qr"), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    // The client gave up: the call is marked 499 (GREEN-API's "client closed the connection").
    await ga.waitFor((c) => c.method === "qr" && c.status === 499);

    expect(await qrPayload()).toBe(instance.currentQrPayload());
  });

  it("ends a hanging request when closed", async () => {
    ga.script(ID, "getStateInstance", { hang: true });
    const hanging = fetch(url("getStateInstance"));
    await ga.waitFor((c) => c.method === "getStateInstance");
    await ga.close();
    await expect(hanging).rejects.toThrow();
  });

  it("answers 401 to a wrong token, 403 to an unknown instance, 404 to an unknown method", async () => {
    expect((await fetch(url("getStateInstance", "wrong-token"))).status).toBe(401);
    expect((await fetch(url("getStateInstance", TOKEN, 999))).status).toBe(403);
    expect((await fetch(url("sendTelepathy"))).status).toBe(404);
    expect((await fetch(url("getAuthorizationCode"))).status).toBe(405); // GET where POST is documented
    expect(ga.calls.map((c) => c.status)).toEqual([401, 403, 404, 405]);
    expect(ga.calls[0]?.token).toBe("wrong-token");
  });

  it("keeps real time under vi.useFakeTimers(), while QR rotation follows the fake clock", async () => {
    vi.useFakeTimers();
    try {
      ga.script(ID, "getStateInstance", { delayMs: 50, json: { stateInstance: "starting" } });
      expect(await get("getStateInstance")).toEqual({ stateInstance: "starting" });
      await expect(ga.waitFor((c) => c.method === "logout", 50)).rejects.toThrow(
        /no matching call/,
      );

      const before = instance.rotateQr(); // starts a fresh 300 ms period at the fake "now"
      vi.setSystemTime(Date.now() + 299);
      expect(instance.currentQrPayload()).toBe(before);
      vi.setSystemTime(Date.now() + 1);
      expect(instance.currentQrPayload()).not.toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it("waitFor rejects with the calls it saw", async () => {
    await get("getStateInstance");
    await expect(ga.waitFor((c) => c.method === "logout", 100)).rejects.toThrow(
      /no matching call within 100 ms.*getStateInstance#1101000001\(200\)/,
    );
  });
});

describe("test Redis", () => {
  it("answers PING at the provided URL", async () => {
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.ping()).toBe("PONG");
    } finally {
      redis.disconnect();
    }
    const prefix = uniquePrefix("fakes test: prefix");
    expect(prefix).toMatch(/^t-fakes-test-prefix-[0-9a-f]{8}$/);
    expect(uniquePrefix("x")).not.toBe(uniquePrefix("x"));
  });
});
