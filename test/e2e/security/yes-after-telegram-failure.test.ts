import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import { eventually } from "../../kit/wait.js";

/**
 * Issue #22 review: Telegram failing in the middle of a confirmation. A Yes counted, then the
 * "working…" edit failed (a flood wait past the retry cap, a 400): nothing was logged out, yet the confirmation was used
 * up, so the admin's next Yes answered "✅ Already done." for an action that never ran.
 */
const ADMIN = 4004;

describe("a Yes whose 'working…' step Telegram refused", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("logs out on the next Yes, once, instead of answering 'already done' for nothing", async () => {
    h = await startHarness({ env: { ADMIN_IDS: String(ADMIN) } });
    h.telegram.userStartedBot(ADMIN);
    h.telegram.userSends({ chatId: ADMIN, fromId: ADMIN, text: "/logout shop" });
    const question = await eventually(
      () => h.telegram.messagesIn(ADMIN).find((m) => m.text?.includes("Log out")),
      "the question",
    );
    const yes = () =>
      h.telegram.userPresses({
        chatId: ADMIN,
        fromId: ADMIN,
        messageId: question.messageId,
        data: "adm:logout-yes:shop",
        requireButton: true,
      });
    const failures = () => h.logLines.filter((line) => line.includes("handler failed")).length;

    // A flood wait longer than the bot's retry cap (60 s): grammY's auto-retry gives up at once.
    h.telegram.failNext("editMessageText", {
      errorCode: 429,
      description: "Too Many Requests: retry after 120",
      retryAfter: 120,
    });
    yes();
    await eventually(() => failures() === 1, "the failed edit");
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toEqual([]);

    const again = yes();
    await eventually(() => h.telegram.answeredCallback(again.callbackQueryId), "the answer");
    await eventually(
      () => h.telegram.message(ADMIN, question.messageId)?.text?.includes("logged out"),
      "the result on the question",
    );
    expect(h.telegram.answeredCallback(again.callbackQueryId)?.params.text).toBeUndefined();
    expect(h.greenApi.callsOf("logout", SHOP.idInstance)).toHaveLength(1);
    // The operator was never asked: nothing of this reached them.
    expect(h.telegram.messagesIn(OPERATOR)).toEqual([]);
  });
});
