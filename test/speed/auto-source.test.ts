import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { photoMessages, press, waitForCaption, waitForQr } from "../kit/chat.js";
import { eventually, pause } from "../kit/wait.js";

// QR_SOURCE=auto: the scanqrcode socket where it works, watched by a poll (through the shared
// limiter) every so often; a poll that shows a QR the socket never pushed distrusts the socket for
// that session, and polling takes over.
describe("QR_SOURCE=auto", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const start = async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { QR_SOURCE: "auto" } });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    return h.greenApi.instance(SHOP.idInstance);
  };

  it("shows each QR the socket pushes, polling only now and then to watch it", async () => {
    const shop = await start();
    await waitForQr(h, shop.currentQrPayload());
    await pause(300);
    await waitForQr(h, shop.rotateQr());
    await waitForQr(h, shop.rotateQr());
    expect(h.telegram.callsOf("editMessageMedia")).toHaveLength(3);
    expect(h.greenApi.callsOf("scanqrcode", SHOP.idInstance)).toHaveLength(1);
    // The first watch comes 3 s after the socket opened: none yet, or that one.
    expect(h.greenApi.callsOf("qr", SHOP.idInstance).length).toBeLessThanOrEqual(1);

    shop.authorize("79001234567");
    await waitForCaption(h, "authorized as +7 900 123-45-67");
  });

  it("a second session after a Cancel gets its own socket, and a scan ends it with ✅", async () => {
    const shop = await start();
    const first = await waitForQr(h, shop.currentQrPayload());
    press(h, first, "✖️ Cancel");
    await waitForCaption(h, "QR session for shop cancelled");
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    await eventually(() => photoMessages(h).length === 2, "a second QR message");
    await waitForQr(h, shop.currentQrPayload());
    shop.authorize("79001234567");
    await waitForCaption(h, "authorized as +7 900 123-45-67");
  });

  it("distrusts a socket that stays open but stops pushing: the watch poll shows the QR, polling takes over", async () => {
    const shop = await start();
    await waitForQr(h, shop.currentQrPayload());
    h.greenApi.silenceSockets(SHOP.idInstance);
    const unseen = shop.rotateQr();

    // The socket never pushes it; the watch poll brings it to the screen.
    await waitForQr(h, unseen);
    await eventually(
      () => h.logLines.some((l) => l.includes("QR socket missed a QR that polling saw")),
      "the socket to be distrusted",
    );
    await eventually(() => h.greenApi.openSockets(SHOP.idInstance) === 0, "the socket closed");

    // From now on the session polls: the next QR comes without any socket.
    const pollsBefore = h.greenApi.callsOf("qr", SHOP.idInstance).length;
    await waitForQr(h, shop.rotateQr());
    expect(h.greenApi.callsOf("qr", SHOP.idInstance).length).toBeGreaterThan(pollsBefore);
    expect(h.greenApi.callsOf("scanqrcode", SHOP.idInstance)).toHaveLength(1);
    expect(photoMessages(h)).toHaveLength(1);
  });
});
