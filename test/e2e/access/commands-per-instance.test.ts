import { afterEach, describe, expect, it } from "vitest";
import { encodeQrCallback } from "../../../src/telegram/callback-data.js";
import {
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
  startHarness,
} from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, press, waitForQr, waitForText } from "../../kit/chat.js";
import { eventually, pause } from "../../kit/wait.js";

describe("/start, /help, the command menu and per-instance access", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("/help tells an operator what the bot does, every command with an example, and their instances", async () => {
    h = await startHarness();
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/help" });
    const help = await waitForText(h, "greenlight");
    for (const example of [
      "/qr shop",
      "/code shop +7 900 123-45-67",
      "/status",
      "/logout shop",
      "/reboot shop",
      "/mute shop 2h",
      "/audit",
      "/instances",
    ]) {
      expect(help.text).toContain(example);
    }
    expect(help.text).toContain("Your instances: shop, support");
  });

  it("/start from a stranger answers only with their user id and how to get access", async () => {
    h = await startHarness();
    h.telegram.userSends({ chatId: STRANGER, fromId: STRANGER, text: "/start" });
    const reply = await waitForText(h, "private bot", STRANGER);
    expect(reply.text).toContain(String(STRANGER));
    expect(reply.text).toContain("OPERATOR_IDS");
    expect(reply.text).not.toMatch(/shop|support/);
    await pause(200);
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("sets the command menu in English and Russian at start", async () => {
    h = await startHarness();
    const menus = h.telegram.callsOf("setMyCommands");
    expect(menus.map((call) => call.params.language_code ?? "default").sort()).toEqual([
      "default",
      "ru",
    ]);
    const english = menus.find((call) => !call.params.language_code);
    const commands = (english?.params.commands as Array<{ command: string }>).map((c) => c.command);
    expect(commands).toEqual([
      "qr",
      "code",
      "link",
      "status",
      "logout",
      "reboot",
      "mute",
      "unmute",
      "history",
      "audit",
      "instances",
      "webhook",
      "help",
    ]);
  });

  it("/qr without an instance offers one button per instance; a tap starts the session", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr" });
    const picker = await waitForText(h, "QR code for which instance?");
    expect(buttonsOf(picker)).toEqual(["shop", "support"]);
    press(h, picker, "shop");
    await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
  });

  it("an instance that lists its operators is invisible and untouchable for the others", async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      instances: [{ ...SHOP, operators: [OPERATOR] }, SUPPORT],
    });
    const other = SECOND_OPERATOR;
    h.telegram.userSends({ chatId: other, fromId: other, text: "/status" });
    const list = await waitForText(h, "Instances", other);
    expect(list.text).not.toContain("shop");
    expect(list.text).toContain("support");

    h.telegram.userSends({ chatId: other, fromId: other, text: "/qr shop" });
    const refused = await waitForText(h, "Unknown instance", other);
    expect(refused.text).toBe("Unknown instance “shop”. Known: support");

    h.telegram.userSends({ chatId: other, fromId: other, text: "/qr" });
    const picker = await waitForText(h, "QR code for which instance?", other);
    expect(buttonsOf(picker)).toEqual(["support"]);

    const { callbackQueryId } = h.telegram.userPresses({
      chatId: other,
      fromId: other,
      messageId: picker.messageId,
      data: encodeQrCallback({ action: "start", instance: "shop" }),
    });
    const answer = await eventually(
      () => h.telegram.answeredCallback(callbackQueryId),
      "the answer",
    );
    expect(answer.params.text).toBe("This button is no longer valid.");
    await pause(300);
    expect(photoMessages(h, other)).toHaveLength(0);
    expect(h.greenApi.callsOf("qr", SHOP.idInstance)).toHaveLength(0);

    // The listed operator still has it.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
  });

  it("runs a whole /qr flow in Russian", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
      languageCode: "ru",
    });
    const live = await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    expect(live.caption).toContain("Отсканируйте, чтобы привязать shop");
    expect(buttonsOf(live)).toEqual(["✖️ Отмена"]);
    h.greenApi.instance(SHOP.idInstance).authorize("79001234567");
    const end = await eventually(
      () =>
        h.telegram
          .message(OPERATOR, live.messageId)
          ?.caption?.startsWith("✅ shop авторизован как +7 900 123-45-67.")
          ? h.telegram.message(OPERATOR, live.messageId)
          : undefined,
      "the Russian end",
    );
    // The proof of closure, in Russian too: who linked it, and GREEN-API's queue.
    expect(end?.caption).toMatch(/\n👤 Привязал\(а\) Tester в \d\d:\d\d/);
    expect(end?.caption).toContain("📭 В очереди GREEN-API не было сообщений.");
  });
});
