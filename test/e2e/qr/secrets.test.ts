import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../../kit/app-harness.js";
import { waitForCaption, waitForQr } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";

describe("secrets never leave", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("keeps instance tokens and the bot token out of Telegram and the log, through failures too", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { GREEN_API_TIMEOUT_MS: "500" } });
    h.greenApi.script(
      SHOP.idInstance,
      "qr",
      { status: 500 },
      { hang: true },
      { status: 200, raw: "nope" },
    );
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    h.greenApi.script(SUPPORT.idInstance, "qr", { status: 401 });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    await waitForCaption(h, "rejected the credentials of support");
    await eventually(
      () => h.logLines.some((line) => line.includes("GREEN-API qr failed")),
      "a logged failure",
    );

    const secrets = [
      SHOP.apiTokenInstance,
      SUPPORT.apiTokenInstance,
      h.telegram.token.split(":")[1] as string,
    ];
    const toTelegram = JSON.stringify(h.telegram.calls.map((call) => call.params));
    const log = h.logLines.join("\n");
    for (const secret of secrets) {
      expect(toTelegram).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
    expect(log).toContain("GREEN-API qr for shop failed");
  });
});
