import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { buttonsOf, photoMessages, press, waitForText } from "../kit/chat.js";
import { eventually, pause } from "../kit/wait.js";

describe("/code: a pairing code for an operator with one phone", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const send = (text: string, languageCode?: string) =>
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text, languageCode });

  it("normalizes the phone, shows the code grouped in monospace with the steps, then 'authorized'", async () => {
    h = await startHarness();
    send("/code shop +7 900 123-45-67");
    const message = await waitForText(h, "Pairing code for shop");
    const [request] = h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance);
    expect(request?.body).toEqual({ phoneNumber: 79001234567 });
    const issued = h.greenApi.instance(SHOP.idInstance).authorizationCodes()[0] as string;
    const grouped = `${issued.slice(0, 4)}-${issued.slice(4)}`;
    expect(message.text).toContain(grouped);
    expect(message.text).toContain("Link with phone number instead");
    expect(message.text).toContain("+7900…67");
    const sent = h.telegram.calls.find((c) => String(c.params.text ?? "").includes(grouped));
    expect(String(sent?.params.text)).toContain(`<code>${grouped}</code>`);
    expect(buttonsOf(message)).toEqual(["🔑 New code", "📷 QR instead"]);

    h.greenApi.instance(SHOP.idInstance).authorize("79001234567");
    const done = await waitForText(h, "is authorized");
    expect(done.messageId).toBe(message.messageId);
    expect(done.text).toBe("✅ shop is authorized as +79001234567.");
    expect(buttonsOf(done)).toEqual([]);
  });

  it("edits the message to 'expired' with New code and QR instead; New code asks again for the same phone", async () => {
    h = await startHarness({ env: { PAIRING_CODE_TTL_MS: "2000", PAIRING_CODE_COOLDOWN_MS: "0" } });
    send("/code shop 79001234567");
    const expired = await waitForText(h, "expired");
    expect(buttonsOf(expired)).toEqual(["🔑 New code", "📷 QR instead"]);

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
    send("/code shop 79001234567");
    await waitForText(h, "Pairing code for shop");
    send("/code shop 79001234567");
    const refused = await waitForText(h, "try again in");
    expect(refused.text).toMatch(/requested moments ago.*try again in \d+ s/s);
    expect(h.greenApi.callsOf("getAuthorizationCode")).toHaveLength(1);
  });

  it.each(["12345", "+7 900 abc", "phone", "+1 (555) 01", "0079001234567"])(
    "rejects the phone %j with a clear message and asks GREEN-API nothing",
    async (phone) => {
      h = await startHarness();
      send(`/code shop ${phone}`);
      const reply = await waitForText(h, "is not a phone number");
      expect(reply.text).toContain("+7 900 123-45-67");
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
    expect(buttonsOf(message)).toEqual(["🔑 Новый код", "📷 Лучше QR"]);
  });
});
