import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../kit/app-harness.js";
import { photoMessages, textMessages, waitForQr } from "../kit/chat.js";
import { type BotProcess, spawnGreenlight } from "../kit/process.js";
import { scanPng } from "../kit/qr-decode.js";
import { eventually, pause } from "../kit/wait.js";
import { SlowProxy } from "./slow-proxy.js";

/** The bound (and docker compose's default stop timeout). */
const EXIT_WITHIN_MS = 10_000;
/** The command outlasts the edit: only waiting for handlers in flight lets it finish. */
const EDIT_IN_FLIGHT_MS = 1_500;
const COMMAND_IN_FLIGHT_MS = 3_500;

describe("graceful shutdown", () => {
  let h: Harness;
  let proxy: SlowProxy;
  const processes: BotProcess[] = [];
  afterEach(async () => {
    for (const p of processes) p.child.kill("SIGKILL");
    await proxy.close();
    await h.close();
  });

  async function spawn(): Promise<BotProcess> {
    const p = spawnGreenlight({ ...h.env, TELEGRAM_API_ROOT: proxy.url, LOG_LEVEL: "info" });
    processes.push(p);
    await eventually(() => p.output().includes("greenlight is running"), "the start", 30_000);
    return p;
  }

  it("SIGTERM: stops taking updates, finishes the edit and the command in flight, exits within 10 s, sessions resume", async () => {
    h = await startHarness({
      start: false,
      qrRotateMs: 3_600_000,
      env: { SESSION_LOCK_MS: "30000" },
    });
    proxy = await SlowProxy.start(h.telegram.apiRoot);
    const shop = h.greenApi.instance(SHOP.idInstance);
    const support = h.greenApi.instance(SUPPORT.idInstance);
    const first = await spawn();
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const live = await waitForQr(h, shop.currentQrPayload());

    // An edit of the session message and a /qr command, both held up in flight...
    proxy.delayNext("editMessageMedia", EDIT_IN_FLIGHT_MS);
    proxy.delayNext("sendPhoto", COMMAND_IN_FLIGHT_MS);
    const count = (method: string) => proxy.seen.filter((m) => m === method).length;
    const [edits, photos] = [count("editMessageMedia"), count("sendPhoto")];
    const rotated = shop.rotateQr();
    await eventually(() => count("editMessageMedia") > edits, "the QR edit to be in flight");
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    await eventually(() => count("sendPhoto") > photos, "the /qr reply to be in flight");

    // ...when SIGTERM comes. An update sent after it is left for the next process.
    const stoppedAt = Date.now();
    first.child.kill("SIGTERM");
    await pause(300);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/audit" });
    expect(await first.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(EXIT_WITHIN_MS);

    // Both finished before the exit: the message shows the rotated QR, support's photo is there.
    const message = h.telegram.message(OPERATOR, live.messageId);
    expect(await scanPng(message?.photo as Buffer)).toBe(rotated);
    const supportMessage = photoMessages(h).find((m) => m.caption?.includes("support"));
    expect(supportMessage).toBeDefined();
    expect(textMessages(h).filter((m) => m.text?.includes("actions"))).toEqual([]);
    expect(first.output()).not.toContain("stopped with updates in flight");

    // The next process answers the update the first one left, and both sessions go on.
    await spawn();
    await eventually(
      () => textMessages(h).find((m) => m.text?.startsWith("🧾 Last 2 actions")),
      "the /audit answer from the next process",
    );
    const [nextShop, nextSupport] = [shop.rotateQr(), support.rotateQr()];
    expect((await waitForQr(h, nextShop)).messageId).toBe(live.messageId);
    expect((await waitForQr(h, nextSupport)).messageId).toBe(supportMessage?.messageId);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(2);
  }, 90_000);
});
