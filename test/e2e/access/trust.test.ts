import { afterEach, describe, expect, it } from "vitest";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
  startHarness,
} from "../../kit/app-harness.js";
import {
  buttonsOf,
  photoMessages,
  press,
  textMessages,
  waitForCaption,
  waitForQr,
  waitForText,
} from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually, pause } from "../../kit/wait.js";
import { alertsIn, checksPass, httpUrl, phonesRemembered, startWatching } from "../alerts/kit.js";

const UNTRUSTED_GROUP = -100700;
const GREEN_API_TOKEN = "0c4e1e2a9f5b4a7d8e6f3b2c1d0a9e8f7b6c5d4e3f2a1b0c9d";

/** Every picture the bot ever showed in a chat, every version of every message. */
async function scansIn(h: Harness, chatId: number): Promise<Array<string | null>> {
  const scans: Array<string | null> = [];
  for (const message of h.telegram.messagesIn(chatId)) {
    for (const version of message.history) {
      if (version.photo) scans.push(await scanPng(version.photo));
    }
  }
  return scans;
}

describe("a QR or pairing code asked for in an untrusted group", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("/qr@bot arrives in the asker's private chat; the group gets one line and never a picture", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({
      chatId: UNTRUSTED_GROUP,
      fromId: OPERATOR,
      chatType: "supergroup",
      text: "/qr@greenlight_test_bot shop",
    });
    const live = await waitForQr(h, shop.currentQrPayload(), OPERATOR);
    expect(buttonsOf(live)).toEqual(["✖️ Cancel"]);
    const line = await waitForText(h, "I sent it to you in a private chat", UNTRUSTED_GROUP);
    expect(line.text).toContain("shop");
    await pause(500);
    expect(h.telegram.messagesIn(UNTRUSTED_GROUP)).toHaveLength(1);
    expect(await scansIn(h, UNTRUSTED_GROUP)).toEqual([]);
    expect(h.logLines.join("\n")).toContain('"result":"new (privately)"');
  });

  it("an asker who never started the bot gets a Start link; Start there shows the QR", async () => {
    const NEWCOMER = 4100;
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { OPERATOR_IDS: `${OPERATOR},${NEWCOMER}` },
    });
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({
      chatId: UNTRUSTED_GROUP,
      fromId: NEWCOMER,
      chatType: "supergroup",
      text: "/qr shop",
    });
    const line = await waitForText(h, "press Start", UNTRUSTED_GROUP);
    const call = h.telegram
      .callsOf("sendMessage")
      .find((c) => Number(c.params.chat_id) === UNTRUSTED_GROUP);
    expect(String(call?.params.text)).toContain(
      'href="https://t.me/greenlight_test_bot?start=qr-shop"',
    );
    expect(line.text).not.toMatch(/\d{4}-\d{4}/);
    expect(h.greenApi.calls).toHaveLength(0);

    // The link opens the private chat with "/start qr-shop".
    h.telegram.userSends({ chatId: NEWCOMER, fromId: NEWCOMER, text: "/start qr-shop" });
    await waitForQr(h, shop.currentQrPayload(), NEWCOMER);
    expect(await scansIn(h, UNTRUSTED_GROUP)).toEqual([]);
  });

  it("the QR button of a message in an untrusted group starts the session privately", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({
      chatId: UNTRUSTED_GROUP,
      fromId: OPERATOR,
      chatType: "supergroup",
      text: "/status",
    });
    const status = await waitForText(h, "Instances", UNTRUSTED_GROUP);
    press(h, status, "📷 QR shop");
    await waitForQr(h, shop.currentQrPayload(), OPERATOR);
    await waitForText(h, "I sent it to you in a private chat", UNTRUSTED_GROUP);
    expect(await scansIn(h, UNTRUSTED_GROUP)).toEqual([]);
  });

  it("/code: the prompt, the number and the code all stay in the private chat", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    h.telegram.userSends({
      chatId: UNTRUSTED_GROUP,
      fromId: OPERATOR,
      chatType: "supergroup",
      text: "/code shop +7 900 123-45-67",
    });
    const code = await waitForText(h, "Pairing code for", OPERATOR);
    expect(code.text).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    await waitForText(h, "I sent it to you in a private chat", UNTRUSTED_GROUP);
    for (const message of textMessages(h, UNTRUSTED_GROUP)) {
      for (const version of message.history)
        expect(version.text).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    }
  });

  it("a trusted group (SECRET_CHAT_IDS) shows the QR where it was asked", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr shop",
    });
    await waitForQr(h, shop.currentQrPayload(), GROUP_CHAT);
    expect(photoMessages(h, OPERATOR)).toHaveLength(0);
  });
});

describe("one confirmation for every destructive action", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const cardWithLogOut = async () => {
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.authorize();
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr shop",
    });
    const card = await waitForCaption(h, "is already authorized", GROUP_CHAT);
    press(h, card, "🚪 Log out", OPERATOR);
    return waitForCaption(h, "Log out shop?", GROUP_CHAT);
  };

  it("the QR card's Log out: a double tap logs out once and the second says already done", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const confirm = await cardWithLogOut();
    const first = press(h, confirm, "✅ Yes, log out", OPERATOR);
    const second = press(h, confirm, "✅ Yes, log out", OPERATOR);
    await eventually(
      () => h.telegram.answeredCallback(first) && h.telegram.answeredCallback(second),
      "both presses answered",
    );
    await pause(300);
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    const answers = [first, second].map((id) =>
      String(h.telegram.answeredCallback(id)?.params.text),
    );
    expect(answers.sort()).toEqual(["Logging out…", "✅ Already done."]);
  });

  it("someone else's Yes changes nothing; the asker's still works", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    const confirm = await cardWithLogOut();
    const theirs = press(h, confirm, "✅ Yes, log out", SECOND_OPERATOR);
    await eventually(() => h.telegram.answeredCallback(theirs), "their press answered");
    expect(h.telegram.answeredCallback(theirs)?.params.text).toBe(
      "Only the person who asked can confirm this for shop.",
    );
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);
    press(h, confirm, "✅ Yes, log out", OPERATOR);
    await eventually(() => h.greenApi.callsOf("logout").length === 1, "the asker's log out");
  });

  it("a Yes pressed after CONFIRM_TTL_MS says expired and logs nothing out", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { CONFIRM_TTL_MS: "1000" } });
    const confirm = await cardWithLogOut();
    await pause(1_300);
    const late = press(h, confirm, "✅ Yes, log out", OPERATOR);
    await eventually(() => h.telegram.answeredCallback(late), "the late press answered");
    expect(h.telegram.answeredCallback(late)?.params.text).toBe(
      "⌛ This confirmation expired. Ask again.",
    );
    const kept = await waitForCaption(h, "was not logged out", GROUP_CHAT);
    expect(buttonsOf(kept)).toEqual(["🚪 Log out & new QR"]);
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);
  });

  it("/reboot: a double tap reboots once; another user's Yes does nothing", async () => {
    h = await startHarness();
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/reboot shop",
    });
    const confirm = await waitForText(h, "Reboot shop?", GROUP_CHAT);
    const theirs = press(h, confirm, "✅ Yes, reboot", SECOND_OPERATOR);
    await eventually(() => h.telegram.answeredCallback(theirs), "their press answered");
    expect(h.greenApi.callsOf("reboot")).toHaveLength(0);
    press(h, confirm, "✅ Yes, reboot", OPERATOR);
    press(h, confirm, "✅ Yes, reboot", OPERATOR);
    await waitForText(h, "is rebooting", GROUP_CHAT);
    await pause(300);
    expect(h.greenApi.callsOf("reboot", SHOP.idInstance)).toHaveLength(1);
  });
});

describe("a token pasted into a chat", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("is deleted in a private chat with a one-line warning, and appears in no log line", async () => {
    h = await startHarness();
    const pasted = h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: `/qr shop ${GREEN_API_TOKEN}`,
    });
    await waitForText(h, "so I deleted it");
    expect(h.telegram.userMessage(OPERATOR, pasted.messageId)?.deleted).toBe(true);
    await pause(300);
    expect(photoMessages(h)).toHaveLength(0);
    expect(h.greenApi.calls).toHaveLength(0);
    expect(
      h.logLines.some((line) => line.includes("deleted a message that contained a token")),
    ).toBe(true);
    expect(h.logLines.join("\n")).not.toContain(GREEN_API_TOKEN);
  });

  it("in a group where the bot may not delete, says to delete it; where it is admin, deletes it", async () => {
    h = await startHarness();
    const botToken = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";
    const first = h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: `/status ${botToken}`,
    });
    await waitForText(h, "Delete it now", GROUP_CHAT);
    expect(h.telegram.userMessage(GROUP_CHAT, first.messageId)?.deleted).toBe(false);
    h.telegram.botIsAdminIn(GROUP_CHAT);
    const second = h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: `/status ${botToken}`,
    });
    await waitForText(h, "so I deleted it", GROUP_CHAT);
    expect(h.telegram.userMessage(GROUP_CHAT, second.messageId)?.deleted).toBe(true);
    expect(h.logLines.join("\n")).not.toContain(botToken);
    expect(h.greenApi.calls).toHaveLength(0);
  });
});

describe("strangers are answered cheaply", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("a stranger's /start gets their id once a minute, however often they send it", async () => {
    h = await startHarness();
    for (let i = 0; i < 5; i++)
      h.telegram.userSends({ chatId: STRANGER, fromId: STRANGER, text: "/start" });
    await waitForText(h, String(STRANGER), STRANGER);
    await eventually(
      () => h.logLines.filter((line) => line.includes("update denied")).length >= 5,
      "five denials",
    );
    expect(textMessages(h, STRANGER)).toHaveLength(1);
    expect(
      h.logLines
        .filter((line) => line.includes("update denied"))
        .every((line) => line.includes('"level":20')),
    ).toBe(true);
  });
});

describe("alerts go through the access model", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("a viewer hears of the logout without buttons; an operator gets the fix; others hear nothing", async () => {
    const VIEWER = 4200;
    h = await startWatching({
      instances: [{ ...SHOP, operators: [OPERATOR], viewers: [VIEWER] }, SUPPORT],
      env: { VIEWER_IDS: String(VIEWER) },
    });
    h.telegram.userStartedBot(VIEWER);
    await checksPass(h, SHOP, 1);
    // Both instances were seen authorized: their numbers are remembered before the logout.
    await phonesRemembered(h, 2);
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    const toOperator = await eventually(() => alertsIn(h, OPERATOR)[0], "the operator's alert");
    const toViewer = await eventually(() => alertsIn(h, VIEWER)[0], "the viewer's alert");
    expect(buttonsOf(toOperator)).toEqual([
      "📷 QR",
      "🔑 Code to +7 900 ···67",
      "📞 Another number",
    ]);
    expect(toViewer.text).toBe(toOperator.text);
    expect(buttonsOf(toViewer)).toEqual([]);
    await checksPass(h, SHOP, 3);
    expect(alertsIn(h, SECOND_OPERATOR)).toHaveLength(0);
  });
});

describe("METRICS_TOKEN", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("guards /metrics with a bearer token, and /healthz stays open", async () => {
    const token = "metrics-token-0123456789";
    h = await startWatching({ env: { METRICS_TOKEN: token } });
    expect((await fetch(httpUrl(h, "/metrics"))).status).toBe(401);
    const wrong = await fetch(httpUrl(h, "/metrics"), {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(httpUrl(h, "/metrics"), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("greenlight_qr_edits_total");
    expect((await fetch(httpUrl(h, "/healthz"))).status).toBe(200);
  });
});
