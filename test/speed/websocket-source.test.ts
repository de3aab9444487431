import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { photoMessages, waitForCaption, waitForQr } from "../kit/chat.js";
import { scanPng } from "../kit/qr-decode.js";
import { eventually, pause } from "../kit/wait.js";

// QR_SOURCE=websocket: GREEN-API's scanqrcode socket pushes each QR; whenever the socket is
// refused, dropped, garbled or times out, the session polls `qr` instead and the QR keeps coming.
describe("QR_SOURCE=websocket", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const start = async (env: Record<string, string> = {}) => {
    // Rotation is driven by the test (rotateQr), which pushes the new QR to open sockets.
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { QR_SOURCE: "websocket", ...env },
    });
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
    });
    return h.greenApi.instance(SHOP.idInstance);
  };

  it("shows every pushed QR with one edit each and one socket, no qr polls, then the login", async () => {
    const shop = await start();
    const payloads = [shop.currentQrPayload()];
    await waitForQr(h, payloads[0] as string);
    for (let i = 0; i < 2; i++) {
      await pause(300); // ticks of an unchanged QR: no edit expected
      payloads.push(shop.rotateQr());
      await waitForQr(h, payloads.at(-1) as string);
    }

    const message = photoMessages(h)[0];
    const shown = await Promise.all(
      (message?.history ?? []).slice(1).map((entry) => scanPng(entry.photo as Buffer)),
    );
    expect(shown).toEqual(payloads);
    expect(h.telegram.callsOf("editMessageMedia")).toHaveLength(3);
    expect(h.greenApi.callsOf("scanqrcode", SHOP.idInstance)).toHaveLength(1);
    expect(h.greenApi.callsOf("qr", SHOP.idInstance)).toHaveLength(0);

    shop.authorize("79001234567");
    await waitForCaption(h, "authorized as +7 900 123-45-67");
    await eventually(() => h.greenApi.openSockets() === 0, "the socket to close");
  });

  it("polls when the socket is refused, and keeps showing new QRs", async () => {
    const greenApi = () => h.greenApi;
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { QR_SOURCE: "websocket" },
    });
    greenApi().script(SHOP.idInstance, "scanqrcode", { status: 500 });
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
    });
    const shop = greenApi().instance(SHOP.idInstance);

    await waitForQr(h, shop.currentQrPayload());
    await waitForQr(h, shop.rotateQr());
    expect(
      greenApi()
        .callsOf("scanqrcode", SHOP.idInstance)
        .map((c) => c.status),
    ).toEqual([500]);
    expect(greenApi().callsOf("qr", SHOP.idInstance).length).toBeGreaterThan(1);
    // The socket URL carries the token: the failure is logged without it.
    expect(h.logLines.join("\n")).toContain("QR socket ended; polling instead");
    expect(h.logLines.join("\n")).not.toContain(SHOP.apiTokenInstance);
  });

  it("polls when the socket drops mid-session, and the next QR still arrives", async () => {
    const shop = await start();
    await waitForQr(h, shop.currentQrPayload());
    expect(h.greenApi.callsOf("qr", SHOP.idInstance)).toHaveLength(0);

    h.greenApi.dropSockets(SHOP.idInstance);
    await eventually(
      () => h.greenApi.callsOf("qr", SHOP.idInstance).length > 0,
      "polling to take over",
    );
    await waitForQr(h, shop.rotateQr());
    expect(h.telegram.callsOf("editMessageMedia")).toHaveLength(2);
  });

  it("polls when the socket sends something unreadable", async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { QR_SOURCE: "websocket" },
    });
    h.greenApi.script(SHOP.idInstance, "scanqrcode", {
      status: 101,
      raw: '{"type":"qrCode"}',
    });
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
    });
    const shop = h.greenApi.instance(SHOP.idInstance);

    await waitForQr(h, shop.currentQrPayload());
    expect(h.greenApi.callsOf("qr", SHOP.idInstance).length).toBeGreaterThan(0);
    await eventually(() => h.greenApi.openSockets() === 0, "the garbled socket to be closed");
  });

  it("after GREEN-API's scan timeout it polls at once, then opens a new socket", async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { QR_SOURCE: "websocket" },
    });
    h.greenApi.scanTimeoutMs = 700;
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
    });
    const shop = h.greenApi.instance(SHOP.idInstance);

    await waitForQr(h, shop.currentQrPayload());
    await eventually(
      () => h.greenApi.callsOf("scanqrcode", SHOP.idInstance).length >= 2,
      "a second socket after the timeout",
    );
    const qrPolls = h.greenApi.callsOf("qr", SHOP.idInstance);
    expect(qrPolls.length).toBeGreaterThan(0);
    // The poll that bridged the gap came before the new socket.
    const second = h.greenApi.callsOf("scanqrcode", SHOP.idInstance)[1];
    expect(qrPolls[0]?.at).toBeLessThanOrEqual(second?.at ?? 0);

    h.greenApi.scanTimeoutMs = 3_600_000;
    await waitForQr(h, shop.rotateQr());
    expect(photoMessages(h)).toHaveLength(1);
  });

  it("ends with 'log out needed' when the socket says the old login is unusable", async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { QR_SOURCE: "websocket" },
    });
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.needsLogout = true;
    h.telegram.userSends({
      chatId: OPERATOR,
      fromId: OPERATOR,
      text: "/qr shop",
    });
    await waitForCaption(h, "Log out");
    expect(h.telegram.callsOf("editMessageMedia").length).toBeGreaterThan(0);
  });
});
