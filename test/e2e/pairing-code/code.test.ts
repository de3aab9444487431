import { afterEach, describe, expect, it } from "vitest";
import { GROUP_CHAT, type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import {
  buttonData,
  buttonsOf,
  photoMessages,
  press,
  textMessages,
  waitForText,
} from "../../kit/chat.js";
import { eventually, pause } from "../../kit/wait.js";

describe("/code: a pairing code for an operator with one phone", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const send = (text: string, languageCode?: string) =>
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text, languageCode });

  it("reads the phone, shows the code grouped in monospace with the number and the steps, then 'authorized'", async () => {
    h = await startHarness();
    send("/code shop +7 900 123-45-67");
    const message = await waitForText(h, "Pairing code for shop");
    const [request] = h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance);
    expect(request?.body).toEqual({ phoneNumber: 79001234567 });
    const issued = h.greenApi.instance(SHOP.idInstance).authorizationCodes()[0] as string;
    const grouped = `${issued.slice(0, 4)}-${issued.slice(4)}`;
    expect(message.text).toContain(grouped);
    expect(message.text).toContain("Link with phone number instead");
    expect(message.text).toContain("Pairing code for shop (+7 900 123-45-67):");
    expect(message.text).not.toContain("not a mobile number");
    const sent = h.telegram.calls.find((c) => String(c.params.text ?? "").includes(grouped));
    expect(String(sent?.params.text)).toContain(`<code>${grouped}</code>`);
    expect(buttonsOf(message)).toEqual(["🔑 New code", "📷 QR instead", "📞 Another number"]);

    h.greenApi.instance(SHOP.idInstance).authorize("79001234567");
    const done = await waitForText(h, "is authorized");
    expect(done.messageId).toBe(message.messageId);
    // Then the proof of closure (issue #13): who linked it, when, and GREEN-API's empty queue.
    expect(done.text).toMatch(
      /^✅ shop is authorized as \+7 900 123-45-67\.\n👤 Linked by Tester at \d\d:\d\d \S+\.\n📭 No messages were waiting in GREEN-API's queue\.$/,
    );
    expect(buttonsOf(done)).toEqual([]);
  });

  it("edits the message to 'expired' with New code and QR instead; New code asks again for the same phone", async () => {
    h = await startHarness({ env: { PAIRING_CODE_TTL_MS: "2000", PAIRING_CODE_COOLDOWN_MS: "0" } });
    send("/code shop +79001234567");
    const expired = await waitForText(h, "expired");
    expect(buttonsOf(expired)).toEqual(["🔑 New code", "📷 QR instead", "📞 Another number"]);

    press(h, expired, "🔑 New code");
    await eventually(
      () => h.greenApi.callsOf("getAuthorizationCode").length === 2,
      "a second code",
    );
    const again = await waitForText(h, "Pairing code for shop");
    expect(again.messageId).toBe(expired.messageId);
    expect(h.greenApi.callsOf("getAuthorizationCode")[1]?.body).toEqual({
      phoneNumber: 79001234567,
    });

    press(h, again, "📷 QR instead");
    await eventually(
      () => photoMessages(h)[0]?.caption?.includes("Scan to link shop"),
      "a QR session",
    );
  });

  it("requests at most one code per instance per cooldown and says so plainly", async () => {
    h = await startHarness();
    send("/code shop +79001234567");
    await waitForText(h, "Pairing code for shop");
    send("/code shop +79001234567");
    const refused = await waitForText(h, "try again in");
    expect(refused.text).toMatch(/requested moments ago.*try again in \d+ s/s);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(1);
  });

  it("keeps the valid code on screen when New code is pressed within the cooldown, and says when", async () => {
    h = await startHarness();
    send("/code shop +79001234567");
    const shown = await waitForText(h, "Pairing code for shop");
    const id = press(h, shown, "🔑 New code");
    const answer = await eventually(() => h.telegram.answeredCallback(id), "the button's answer");
    expect(String(answer.params.text)).toMatch(
      /^The code on screen still works\. A new one can be asked for in \d+ s\.$/,
    );
    const after = textMessages(h).find((message) => message.messageId === shown.messageId);
    expect(after?.text).toBe(shown.text);
    expect(buttonsOf(after!)).toEqual(["🔑 New code", "📷 QR instead", "📞 Another number"]);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(1);
  });

  it.each([
    ["+7 900 abc", "“+7 900 abc” is not a phone number. Send it in the international format"],
    ["phone", "“phone” is not a phone number."],
    ["+1 (555) 01", "is not a phone number: too short for +1."],
    ["+999 123456", "is not a phone number: no country has that code."],
    ["+49 30 12", "is not a phone number in +49: no such number there."],
    ["99912345678", "❓ Which country is “99912345678” in?"],
  ])(
    "refuses the phone %j with a short reason and an example, and asks GREEN-API nothing",
    async (phone, reason) => {
      h = await startHarness();
      send(`/code shop ${phone}`);
      const reply = await waitForText(h, reason);
      expect(reply.text).toContain("e.g. +7 900 123-45-67");
      await pause(200);
      expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);
    },
  );

  it("asks for the phone when it is missing, and the reply gets the code", async () => {
    h = await startHarness();
    send("/code shop");
    const prompt = await waitForText(h, "Reply to this message with the phone number");
    expect((prompt.replyMarkup as { force_reply?: boolean } | undefined)?.force_reply).toBe(true);
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "+7 (900) 123 45 67",
      replyToMessageId: prompt.messageId,
    });
    await waitForText(h, "Pairing code for shop");
    expect(h.greenApi.callsOf("getAuthorizationCode")[0]?.body).toEqual({
      phoneNumber: 79001234567,
    });
  });

  it("offers one button per instance when the instance is missing", async () => {
    h = await startHarness();
    send("/code");
    const picker = await waitForText(h, "Pairing code for which instance?");
    expect(buttonsOf(picker)).toEqual(["shop", "support"]);
    press(h, picker, "support");
    await waitForText(h, "to link to support");
  });

  it("answers an unknown instance without asking GREEN-API", async () => {
    h = await startHarness();
    send("/code nope 79001234567");
    await waitForText(h, "Unknown instance “nope”");
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("speaks Russian to a Russian-speaking operator", async () => {
    h = await startHarness();
    send("/code shop +79001234567", "ru");
    const message = await waitForText(h, "Код привязки для shop");
    expect(message.text).toContain("Привязать по номеру телефона");
    expect(buttonsOf(message)).toEqual(["🔑 Новый код", "📷 Лучше QR", "📞 Другой номер"]);
  });
});

describe("/code: phone numbers as people type them, in every country", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const send = (text: string, chatId = OPERATOR) =>
    h.telegram.userSends({ chatId, fromId: OPERATOR, text });
  const codeRequests = () =>
    h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance).map((call) => call.body);

  it("with DEFAULT_PHONE_COUNTRY=RU, sends 8 900 123-45-67 as 79001234567 and shows +7 900 123-45-67", async () => {
    h = await startHarness({ env: { DEFAULT_PHONE_COUNTRY: "RU" } });
    send("/code shop 8 900 123-45-67");
    const message = await waitForText(h, "Pairing code for shop");
    expect(codeRequests()).toEqual([{ phoneNumber: 79001234567 }]);
    expect(message.text).toContain("Pairing code for shop (+7 900 123-45-67):");
    // The number showed already while GREEN-API was being asked.
    const asking = h.telegram.callsOf("sendMessage").map((call) => String(call.params.text));
    expect(asking).toContain(
      "⏳ Asking GREEN-API for a pairing code for <b>shop</b> (+7 900 123-45-67)…",
    );
  });

  it("without DEFAULT_PHONE_COUNTRY, asks for the country code of 8 900 123-45-67 and sends GREEN-API nothing", async () => {
    h = await startHarness();
    send("/code shop 8 900 123-45-67");
    const question = await waitForText(h, "Which country is “8 900 123-45-67” in?");
    expect(question.text).toContain("with the country code, e.g. +7 900 123-45-67");
    expect(question.text).toContain("DEFAULT_PHONE_COUNTRY");
    await pause(300);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);
    expect(textMessages(h).some((m) => m.text?.includes("Pairing code for"))).toBe(false);
  });

  it("asks a Russian-speaking operator for the country code in Russian", async () => {
    h = await startHarness();
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/code shop 8 (900) 1234567",
      languageCode: "ru",
    });
    const question = await waitForText(h, "Из какой страны номер «8 (900) 1234567»?");
    expect(question.text).toContain("с кодом страны, например +7 900 123-45-67");
    await pause(200);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);
  });

  it("reads 00 as the international prefix and warns that a landline is not a mobile number", async () => {
    h = await startHarness();
    send("/code shop 0049 30 123456");
    const message = await waitForText(h, "Pairing code for shop");
    expect(codeRequests()).toEqual([{ phoneNumber: 4930123456 }]);
    expect(message.text).toContain("Pairing code for shop (+49 30 123456):");
    expect(message.text).toContain("⚠️ +49 30 123456 is not a mobile number.");
  });

  it("reads a typed reply with the same parser and DEFAULT_PHONE_COUNTRY", async () => {
    h = await startHarness({ env: { DEFAULT_PHONE_COUNTRY: "KZ" } });
    send("/code shop");
    const prompt = await waitForText(h, "Reply to this message with the phone number");
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "8 (700) 123-45-67",
      replyToMessageId: prompt.messageId,
    });
    const message = await waitForText(h, "Pairing code for shop");
    expect(codeRequests()).toEqual([{ phoneNumber: 77001234567 }]);
    expect(message.text).toContain("(+7 700 123 4567)");
  });

  it("refuses a typed reply that is no number, and sends nothing", async () => {
    h = await startHarness();
    send("/code shop");
    const prompt = await waitForText(h, "Reply to this message with the phone number");
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "99912345678",
      replyToMessageId: prompt.messageId,
    });
    await waitForText(h, "Which country is “99912345678” in?");
    await pause(200);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(0);
  });

  it("'Another number' asks for the number again, and the reply gets a code for the new one", async () => {
    h = await startHarness({ env: { PAIRING_CODE_COOLDOWN_MS: "0" } });
    send("/code shop +7 900 123-45-67");
    const first = await waitForText(h, "Pairing code for shop");
    press(h, first, "📞 Another number");
    const prompt = await waitForText(h, "Reply to this message with the phone number");
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "+44 7400 123456",
      replyToMessageId: prompt.messageId,
    });
    const second = await waitForText(h, "Pairing code for shop (+44 7400 123456)");
    expect(second.messageId).not.toBe(first.messageId);
    expect(codeRequests()).toEqual([{ phoneNumber: 79001234567 }, { phoneNumber: 447400123456 }]);
    const data = buttonData(first, "📞 Another number");
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).not.toMatch(/\d{5,}/);
  });

  it("masks the number in a group and in every log line, and shows it whole in a private chat", async () => {
    h = await startHarness({ env: { PAIRING_CODE_COOLDOWN_MS: "0" } });
    send("/code shop +7 900 123-45-67");
    const inPrivate = await waitForText(h, "Pairing code for shop");
    expect(inPrivate.text).toContain("Pairing code for shop (+7 900 123-45-67):");

    send("/code shop +7 900 123-45-67", GROUP_CHAT);
    const inGroup = await waitForText(h, "Pairing code for shop", GROUP_CHAT);
    expect(inGroup.text).toContain("Pairing code for shop (+7 900 ···-··-67):");
    expect(inGroup.text).not.toContain("123-45");
    expect(codeRequests()).toEqual([{ phoneNumber: 79001234567 }, { phoneNumber: 79001234567 }]);

    h.greenApi.instance(SHOP.idInstance).authorize("79001234567");
    const linked = await waitForText(h, "is authorized", GROUP_CHAT);
    expect(linked.text?.split("\n")[0]).toBe("✅ shop is authorized as +7 900 ···-··-67.");
    // Nothing the bot sent to the group, "Asking GREEN-API…" included, had the whole number.
    const toGroup = h.telegram.calls.filter((call) => Number(call.params.chat_id) === GROUP_CHAT);
    expect(toGroup.some((call) => String(call.params.text).includes("Asking GREEN-API"))).toBe(
      true,
    );
    for (const call of toGroup)
      expect(JSON.stringify(call.params)).not.toMatch(/123-45|79001234567/);

    await eventually(
      () => h.logLines.filter((line) => line.includes("pairing code issued")).length === 2,
      "two log lines for the codes",
    );
    const logged = h.logLines.filter((line) => line.includes("pairing code issued"));
    expect(logged.every((line) => line.includes("+7 900 ···-··-67"))).toBe(true);
    for (const line of h.logLines) {
      expect(line).not.toContain("79001234567");
      expect(line).not.toContain("123-45-67");
    }
  });
});
