import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually, pause } from "../../kit/wait.js";

describe("/qr survives faults mid-session", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { GREEN_API_TIMEOUT_MS: "800" } });
  });
  afterEach(async () => h.close());

  const start = async () => {
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    return waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
  };

  it.each([
    ["HTTP 500", { status: 500, json: { message: "Internal Server Error" } }],
    ["HTTP 502", { status: 502, raw: "<html>Bad Gateway</html>" }],
    ["HTTP 429", { status: 429, json: {} }],
    ["invalid JSON", { status: 200, raw: '{"type":"qrCode","mess' }],
    ["JSON of the wrong shape", { status: 200, json: { type: "qrCode" } }],
    ["a hanging request", { hang: true }],
  ])("after %s the session goes on and shows the next QR", async (_fault, response) => {
    const live = await start();
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.greenApi.script(SHOP.idInstance, "qr", response, response);
    const next = shop.rotateQr();
    const shown = await waitForQr(h, next);
    expect(shown.messageId).toBe(live.messageId);
    expect(photoMessages(h)).toHaveLength(1);
    expect(shown.caption).toContain("Scan to link shop");
  });

  it("says GREEN-API is not answering after a few failed polls, with Cancel, and shows the QR once it answers", async () => {
    const down = { status: 502, raw: "<html>Bad Gateway</html>" };
    h.greenApi.script(SHOP.idInstance, "qr", down, down, down, down);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const notice = await eventually(
      () => photoMessages(h).find((m) => m.caption?.includes("GREEN-API is not answering")),
      "the not-answering notice",
    );
    expect(notice.caption).toBe(
      "⚠️ shop: GREEN-API is not answering. Still trying; the QR appears here when it answers.",
    );
    expect(buttonsOf(notice)).toContain("✖️ Cancel");
    const shown = await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    expect(shown.messageId).toBe(notice.messageId);
    expect(shown.caption).toContain("Scan to link shop");
  });

  it("waits out a Telegram 429 on an edit, then sends the newest QR, not the stale one", async () => {
    const live = await start();
    const shop = h.greenApi.instance(SHOP.idInstance);
    h.telegram.failNext("editMessageMedia", {
      errorCode: 429,
      description: "Too Many Requests: retry after 2",
      retryAfter: 2,
    });
    const stale = shop.rotateQr();
    const refused = await h.telegram.waitFor(
      (call) => call.method === "editMessageMedia" && !call.ok,
    );
    await pause(700);
    const newest = shop.rotateQr();
    const shown = await waitForQr(h, newest);
    expect(shown.messageId).toBe(live.messageId);

    const edits = h.telegram.callsOf("editMessageMedia");
    const afterRefusal = edits.filter((call) => call.at > refused.at);
    expect(afterRefusal).toHaveLength(1);
    expect(afterRefusal[0]?.at).toBeGreaterThanOrEqual(refused.at + 2000);
    const history = await Promise.all(
      (h.telegram.message(OPERATOR, live.messageId)?.history ?? []).map((entry) =>
        scanPng(entry.photo as Buffer),
      ),
    );
    expect(history).not.toContain(stale);
    expect(history.at(-1)).toBe(newest);
  });

  it("keeps trying to put the final status on screen through repeated 429s: no QR is left behind", async () => {
    const live = await start();
    h.telegram.failNext(
      "editMessageMedia",
      { errorCode: 429, description: "Too Many Requests: retry after 1", retryAfter: 1 },
      5,
    );
    h.greenApi.instance(SHOP.idInstance).authorize("79001234567");
    const done = await eventually(
      () => {
        const message = h.telegram.message(OPERATOR, live.messageId);
        return message?.caption?.includes("is authorized") ? message : undefined;
      },
      "the authorized status despite five 429s",
      15_000,
    );
    expect(await scanPng(done.photo as Buffer)).toBeNull();
  });

  it("ends quietly when the user deleted the message", async () => {
    const live = await start();
    h.telegram.failNext("editMessageMedia", {
      errorCode: 400,
      description: "Bad Request: message to edit not found",
    });
    h.greenApi.instance(SHOP.idInstance).rotateQr();
    await eventually(
      () => h.logLines.some((line) => line.includes("QR message is gone")),
      "the session to end",
    );
    const calls = h.greenApi.callsOf("qr").length;
    await pause(400);
    expect(h.greenApi.callsOf("qr").length).toBe(calls);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(1);
    expect(h.telegram.callsOf("sendMessage")).toHaveLength(0);
    expect(live.messageId).toBeGreaterThan(0);
  });
});
