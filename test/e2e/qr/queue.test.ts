import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, press, waitForCaption, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually, pause } from "../../kit/wait.js";

// Telegram lets one bot edit ~30 messages a second, which keeps ~560 live QRs fresh. Past the
// capacity (QR_MAX_SESSIONS, 1 here) a new session waits its turn instead of missing QRs.
describe("/qr when every slot is busy: the session waits in line and says so", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { QR_MAX_SESSIONS: "1" } });
  });
  afterEach(async () => h.close());

  const ask = (instance: string) =>
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: `/qr ${instance}` });
  const shop = () => h.greenApi.instance(SHOP.idInstance);
  const support = () => h.greenApi.instance(SUPPORT.idInstance);

  it("tells the operator their place, polls nothing meanwhile, and shows the QR with its full time once a slot frees", async () => {
    ask("shop");
    await waitForQr(h, shop().currentQrPayload());
    ask("support");
    const queued = await waitForCaption(h, "support is waiting its turn: next in line");
    expect(queued.caption).toContain("about 1 live QR codes");
    expect(buttonsOf(queued)).toEqual(["✖️ Cancel"]);
    expect(await scanPng(queued.photo as Buffer)).toBeNull();

    // Four seconds in line: GREEN-API is not asked for support's QR meanwhile.
    await pause(4_000);
    expect(h.greenApi.callsOf("qr", SUPPORT.idInstance)).toHaveLength(0);

    shop().authorize();
    await waitForCaption(h, "shop is authorized");
    const live = await waitForQr(h, support().currentQrPayload());
    expect(live.messageId).toBe(queued.messageId);
    // The 60 s timer started when the QR did, not when the operator joined the line.
    expect(live.caption).toMatch(/⏱ (1:00|0:59) left/);
    expect(photoMessages(h)).toHaveLength(2);
  });

  it("Cancel while waiting ends it at once, and it never starts later", async () => {
    ask("shop");
    await waitForQr(h, shop().currentQrPayload());
    ask("support");
    const queued = await waitForCaption(h, "support is waiting its turn");
    const callbackId = press(h, queued, "✖️ Cancel");
    const cancelled = await waitForCaption(h, "QR session for support cancelled");
    expect(cancelled.messageId).toBe(queued.messageId);
    expect(buttonsOf(cancelled)).toEqual(["📷 New QR"]);
    // The answer goes out right after the edit: wait for it rather than race it.
    const answer = await eventually(
      () => h.telegram.answeredCallback(callbackId),
      "the Cancel press to be answered",
    );
    expect(answer.params.text).toBe("Cancelled.");

    shop().authorize();
    await waitForCaption(h, "shop is authorized");
    await pause(1_000);
    expect(h.greenApi.callsOf("qr", SUPPORT.idInstance)).toHaveLength(0);
    expect(photoMessages(h).find((m) => m.messageId === queued.messageId)?.caption).toContain(
      "cancelled",
    );
  });

  it("a second /qr for a waiting instance moves it to the new message, still waiting, not twice in line", async () => {
    ask("shop");
    await waitForQr(h, shop().currentQrPayload());
    ask("support");
    const first = await waitForCaption(h, "support is waiting its turn: next in line");
    ask("support");
    await waitForCaption(h, "moved to a newer message");
    const moved = await eventually(
      () =>
        photoMessages(h).find(
          (m) =>
            m.messageId > first.messageId && m.caption?.includes("support is waiting its turn"),
        ),
      "the new message saying it waits",
    );
    shop().authorize();
    const live = await waitForQr(h, support().currentQrPayload());
    expect(live.messageId).toBe(moved.messageId);
    await pause(500);
    expect(
      await scanPng(photoMessages(h).find((m) => m.messageId === first.messageId)?.photo as Buffer),
    ).toBeNull();
  });
});
