import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  startHarness,
} from "../../kit/app-harness.js";
import { photoMessages, waitForCaption } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";

/**
 * Issue #22, hole 4: a QR session outlived its starter's removal from the team (or its group's
 * removal from SECRET_CHAT_IDS): it resumed after a restart and kept editing QRs into their chat.
 * Now each start or resume asks the access model again and ends it as cancelled.
 */
describe("a QR session re-checks its starter and its chat when it starts or resumes (hole 4)", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("ends as cancelled, with no QR ever shown, once the starter is off the team or the group is no longer trusted", async () => {
    // The bot alone takes the requests; the sessions wait in the queue for a worker.
    h = await startHarness({ env: { ROLE: "bot" } });
    h.telegram.userSends({ chatId: SECOND_OPERATOR, fromId: SECOND_OPERATOR, text: "/qr shop" });
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr support",
    });
    await eventually(
      () =>
        photoMessages(h, SECOND_OPERATOR).length === 1 && photoMessages(h, GROUP_CHAT).length === 1,
      "both sessions' waiting messages",
    );

    // The admin took SECOND_OPERATOR off the team and the group out of SECRET_CHAT_IDS, and
    // restarted: the worker that now picks the sessions up has the new configuration.
    await h.startAnother({ ROLE: "worker", OPERATOR_IDS: String(OPERATOR), SECRET_CHAT_IDS: "" });
    await waitForCaption(h, "QR session for shop cancelled", SECOND_OPERATOR);
    await waitForCaption(h, "QR session for support cancelled", GROUP_CHAT);

    for (const chatId of [SECOND_OPERATOR, GROUP_CHAT]) {
      for (const message of photoMessages(h, chatId)) {
        for (const version of message.history) {
          if (version.photo) expect(await scanPng(version.photo)).toBeNull();
        }
      }
    }
    expect(h.greenApi.callsOf("qr")).toEqual([]);
    const redis = new Redis(redisUrl());
    try {
      const audit = await redis.lrange(`${h.config.env.REDIS_PREFIX}:audit`, 0, -1);
      const ended = audit.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(ended).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: "cancel",
            instance: "shop",
            userId: SECOND_OPERATOR,
            result: "ended: no longer allowed",
          }),
          expect.objectContaining({
            action: "cancel",
            instance: "support",
            chatId: GROUP_CHAT,
            result: "ended: no longer allowed",
          }),
        ]),
      );
    } finally {
      redis.disconnect();
    }
  });

  it("goes on for a starter who still may, in a chat still trusted", async () => {
    h = await startHarness({ env: { ROLE: "bot" } });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    await eventually(() => photoMessages(h, OPERATOR).length === 1, "the waiting message");
    await h.startAnother({ ROLE: "worker", OPERATOR_IDS: String(OPERATOR) });
    await eventually(async () => {
      const photo = photoMessages(h, OPERATOR)[0]?.photo;
      return photo !== undefined && (await scanPng(photo)) !== null;
    }, "a QR in the operator's chat");
  });
});

describe("a pairing-code watch re-checks its asker and its chat when it starts or resumes (hole 4)", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("closes the code message at once once the asker is off the team", async () => {
    h = await startHarness({ env: { ROLE: "bot", PAIRING_CODE_COOLDOWN_MS: "0" } });
    h.telegram.userSends({
      chatId: SECOND_OPERATOR,
      fromId: SECOND_OPERATOR,
      text: "/code shop +7 900 123-45-67",
    });
    const code = await eventually(
      () =>
        h.telegram
          .messagesIn(SECOND_OPERATOR)
          .find((m) => m.text?.startsWith("🔑 Pairing code for shop")),
      "the pairing code",
    );
    await h.startAnother({ ROLE: "worker", OPERATOR_IDS: String(OPERATOR) });
    await eventually(
      () =>
        !h.telegram.message(SECOND_OPERATOR, code.messageId)?.text?.includes("Pairing code for"),
      "the code message closed",
    );
    // The audit entry follows the edit: wait for it rather than race it.
    await eventually(
      () => h.logLines.some((l) => l.includes("audit: code shop ended: no longer allowed")),
      "the audit entry",
    );
  });
});
