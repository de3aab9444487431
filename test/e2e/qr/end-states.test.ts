import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  startHarness,
} from "../../kit/app-harness.js";
import { auditedResults } from "../../kit/audit.js";
import { buttonsOf, photoMessages, press, waitForCaption, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually, pause } from "../../kit/wait.js";

describe("/qr: every end replaces the QR with a status card and offers the fix", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { QR_TIMEOUT_MS: "5000" } });
  });
  afterEach(async () => h.close());

  const ask = (text = "/qr shop") =>
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });
  const shop = () => h.greenApi.instance(SHOP.idInstance);

  it("'Instance has auth' → explains, and Log out & new QR (confirmed) logs out and shows a fresh QR on the same message", async () => {
    shop().needsLogout = true;
    ask();
    const message = await waitForCaption(h, "old WhatsApp login");
    expect(buttonsOf(message)).toEqual(["🚪 Log out & new QR"]);
    expect(await scanPng(message.photo as Buffer)).toBeNull();

    const asked = press(h, message, "🚪 Log out & new QR");
    const confirm = await waitForCaption(h, "Log out shop?");
    expect(h.telegram.answeredCallback(asked)).toBeDefined();
    expect(buttonsOf(confirm)).toEqual(["✅ Yes, log out", "↩️ No"]);
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);

    press(h, confirm, "✅ Yes, log out");
    const fresh = await waitForQr(h, shop().currentQrPayload());
    expect(fresh.messageId).toBe(message.messageId);
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    expect(photoMessages(h)).toHaveLength(1);
    expect(buttonsOf(fresh)).toEqual(["✖️ Cancel"]);
  });

  it("a log out GREEN-API answers isLogout: false is a failure: said so, audited as failed, no new QR", async () => {
    shop().needsLogout = true;
    h.greenApi.script(SHOP.idInstance, "logout", { json: { isLogout: false } });
    ask();
    const message = await waitForCaption(h, "old WhatsApp login");
    press(h, message, "🚪 Log out & new QR");
    const confirm = await waitForCaption(h, "Log out shop?");
    press(h, confirm, "✅ Yes, log out");
    const failed = await waitForCaption(h, "Could not log out shop");
    expect(failed.caption).toContain("GREEN-API answered that it did not do it");
    expect(buttonsOf(failed)).toEqual(["🚪 Log out & new QR"]);
    expect(await auditedResults(h)).toContain("logout: failed: declined");
    expect(await auditedResults(h)).not.toContain("logout: done");
    // No new QR session: nothing asks GREEN-API for a QR (poll or socket) after the failure.
    const qrRequests = () =>
      h.greenApi.callsOf("qr").length + h.greenApi.callsOf("scanqrcode").length;
    const atFailure = qrRequests();
    await pause(1_200);
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    expect(qrRequests()).toBe(atFailure);
  });

  it("a failed log out is told in the reader's language, never in GREEN-API's own English", async () => {
    shop().needsLogout = true;
    h.greenApi.script(SHOP.idInstance, "logout", { status: 500 });
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
      languageCode: "ru",
    });
    const message = await waitForCaption(h, "старые данные входа");
    press(h, message, "🚪 Выйти и новый QR");
    const confirm = await waitForCaption(h, "Выйти из shop?");
    press(h, confirm, "✅ Да, выйти");
    const failed = await waitForCaption(h, "Не удалось выйти из shop");
    expect(failed.caption).toContain("ошибка на сервере GREEN-API");
    expect(failed.caption).not.toContain("GREEN-API logout for shop failed");
    expect(failed.caption).not.toContain("HTTP 500");
    expect(await auditedResults(h)).toContain("logout: failed: server-error");
  });

  it("'No' on the confirmation logs nothing out and keeps the fix at hand", async () => {
    shop().needsLogout = true;
    ask();
    const message = await waitForCaption(h, "old WhatsApp login");
    press(h, message, "🚪 Log out & new QR");
    const confirm = await waitForCaption(h, "Log out shop?");
    press(h, confirm, "↩️ No");
    const kept = await waitForCaption(h, "was not logged out");
    expect(buttonsOf(kept)).toEqual(["🚪 Log out & new QR"]);
    await pause(300);
    expect(h.greenApi.callsOf("logout")).toHaveLength(0);
  });

  it("alreadyLogged at once → 'already authorized', no QR, and a Log out button behind a confirmation", async () => {
    shop().authorize();
    ask();
    const message = await waitForCaption(h, "is already authorized");
    expect(await scanPng(message.photo as Buffer)).toBeNull();
    expect(buttonsOf(message)).toEqual(["🚪 Log out"]);
    expect(
      h.telegram
        .callsOf("editMessageMedia")
        .every((c) => !String(c.params.media).includes("qrCode")),
    ).toBe(true);

    press(h, message, "🚪 Log out");
    const confirm = await waitForCaption(h, "Log out shop?");
    press(h, confirm, "✅ Yes, log out");
    const fresh = await waitForQr(h, shop().currentQrPayload());
    expect(fresh.messageId).toBe(message.messageId);
  });

  it("401 from GREEN-API → 'rejected the credentials', and polling stops", async () => {
    h.greenApi.script(SHOP.idInstance, "qr", { status: 401 });
    ask();
    const message = await waitForCaption(h, "rejected the credentials of shop");
    expect(message.caption).toContain("check idInstance / apiTokenInstance");
    expect(message.caption).not.toContain(SHOP.apiTokenInstance);
    expect(buttonsOf(message)).toEqual([]);
    const calls = h.greenApi.callsOf("qr").length;
    await pause(500);
    expect(h.greenApi.callsOf("qr").length).toBe(calls);
  });

  it("403 from GREEN-API (blocked account or wrong instance) is its own end, in plain words", async () => {
    h.greenApi.script(SHOP.idInstance, "qr", { status: 403 });
    ask();
    const message = await waitForCaption(h, "GREEN-API refuses shop (HTTP 403)");
    expect(message.caption).toContain("its account is blocked");
    expect(message.caption).not.toContain("credentials");
    expect(buttonsOf(message)).toEqual([]);
    const calls = h.greenApi.callsOf("qr").length;
    await pause(500);
    expect(h.greenApi.callsOf("qr").length).toBe(calls);
  });

  it("466 from GREEN-API (the plan is used up) is its own end that names the fix: pay or wait", async () => {
    shop().quotaExceeded = true;
    ask();
    const message = await waitForCaption(h, "is used up (HTTP 466)");
    expect(message.caption).toContain("Pay for or change the plan");
    expect(message.caption).toContain("wait until the monthly quota renews");
    expect(message.caption).not.toContain("credentials");
    expect(await scanPng(message.photo as Buffer)).toBeNull();
    // Once the plan is paid, New QR starts over.
    expect(buttonsOf(message)).toEqual(["📷 New QR"]);
    expect(h.greenApi.callsOf("qr").every((call) => call.status === 466)).toBe(true);
    shop().quotaExceeded = false;
    press(h, message, "📷 New QR");
    await waitForQr(h, shop().currentQrPayload());
  });

  it("no login within QR_TIMEOUT_MS → 'QR expired' with New QR, which starts over on the same message", async () => {
    ask();
    const live = await waitForQr(h, shop().currentQrPayload());
    const expired = await waitForCaption(h, "QR expired");
    expect(expired.messageId).toBe(live.messageId);
    expect(await scanPng(expired.photo as Buffer)).toBeNull();
    expect(buttonsOf(expired)).toEqual(["📷 New QR"]);

    const payload = shop().rotateQr();
    press(h, expired, "📷 New QR");
    const again = await waitForQr(h, payload);
    expect(again.messageId).toBe(live.messageId);
    expect(photoMessages(h)).toHaveLength(1);
  });

  it("a second /qr for a running session moves it to the new message instead of starting another poller", async () => {
    ask();
    const first = await waitForQr(h, shop().currentQrPayload());
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const moved = await eventually(
      () =>
        photoMessages(h).find(
          (m) => m.messageId !== first.messageId && m.caption?.includes("Scan to link"),
        ),
      "the session to continue in the new message",
    );
    expect(await scanPng(moved.photo as Buffer)).toBe(shop().currentQrPayload());
    const old = await eventually(() => {
      const message = h.telegram.message(OPERATOR, first.messageId);
      return message?.caption?.includes("moved to a newer message") ? message : undefined;
    }, "the old message to say where the session went");
    expect(await scanPng(old?.photo as Buffer)).toBeNull();

    // One poller: about one qr call per poll interval, not two.
    const since = Date.now();
    await pause(1000);
    const calls = h.greenApi.callsOf("qr").filter((call) => call.at >= since).length;
    expect(calls).toBeLessThanOrEqual(12);
  });

  it("a session moved by another operator's /qr speaks the new asker's language", async () => {
    ask();
    const first = await waitForQr(h, shop().currentQrPayload());
    h.telegram.userSends({
      chatId: SECOND_OPERATOR,
      fromId: SECOND_OPERATOR,
      text: "/qr shop",
      languageCode: "ru",
    });
    const moved = await waitForCaption(h, "Отсканируйте, чтобы привязать", SECOND_OPERATOR);
    expect(await scanPng(moved.photo as Buffer)).toBe(shop().currentQrPayload());
    // The old message is the first asker's: it says where the session went in their language.
    await waitForCaption(h, "moved to a newer message");
    expect(h.telegram.message(OPERATOR, first.messageId)?.caption).not.toMatch(/[а-я]/);
    // Later QRs too: the record now carries the new asker's language.
    const next = shop().rotateQr();
    const rotated = await waitForQr(h, next, SECOND_OPERATOR);
    expect(rotated.caption).toContain("Отсканируйте");
  });
});
