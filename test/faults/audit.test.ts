import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/audit-log.js";
import { createLogger } from "../../src/shared/logger.js";
import { Redactor } from "../../src/shared/redact.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
  startHarness,
} from "../kit/app-harness.js";
import { press, textMessages, waitForCaption, waitForQr } from "../kit/chat.js";
import { redisUrl } from "../kit/redis.js";
import { eventually, pause } from "../kit/wait.js";

/** The reader's format (en-GB for English) in the process's zone: "02/01/2031, 03:04:05 UTC". */
const TIME = "\\d\\d/\\d\\d/\\d{4}, \\d\\d:\\d\\d:\\d\\d UTC";

/** Sends /audit and returns the lines of the reply. */
async function audit(h: Harness, fromId = OPERATOR): Promise<string[]> {
  const before = textMessages(h, fromId).length;
  h.telegram.userSends({ chatId: fromId, fromId, text: "/audit" });
  const reply = await eventually(() => textMessages(h, fromId)[before], "the /audit reply");
  return (reply.text ?? "").split("\n");
}

describe("the audit trail", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("logs every action as one structured line (user, chat, instance, result, no token) and /audit lists them", async () => {
    h = await startHarness({ qrRotateMs: 3_600_000 });
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr shop" });
    const shop = await waitForQr(h, h.greenApi.instance(SHOP.idInstance).currentQrPayload());
    press(h, shop, "✖️ Cancel");
    await waitForCaption(h, "cancelled");
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: SECOND_OPERATOR,
      chatType: "group",
      firstName: "Ivan",
      text: "/qr support",
    });
    await waitForQr(h, h.greenApi.instance(SUPPORT.idInstance).currentQrPayload(), GROUP_CHAT);

    const lines = await audit(h);
    expect(lines[0]).toBe("🧾 Last 3 actions (newest first)");
    expect(lines.slice(1)).toHaveLength(3);
    // People by the first names the bot heard, not "user 1002"; the chat as the reader knows it.
    expect(lines[1]).toMatch(new RegExp(`^${TIME} qr support → new · Ivan · group -100500$`));
    expect(lines[2]).toMatch(
      new RegExp(`^${TIME} cancel shop → requested · Tester · private chat$`),
    );
    expect(lines[3]).toMatch(new RegExp(`^${TIME} qr shop → new · Tester · private chat$`));

    const auditLines = h.logLines.filter((line) => JSON.parse(line).audit === true);
    expect(auditLines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        action: "qr",
        userId: OPERATOR,
        chatId: OPERATOR,
        instance: "shop",
        result: "new",
      }),
      expect.objectContaining({
        action: "cancel",
        userId: OPERATOR,
        chatId: OPERATOR,
        instance: "shop",
        result: "requested",
      }),
      expect.objectContaining({
        action: "qr",
        userId: SECOND_OPERATOR,
        chatId: GROUP_CHAT,
        instance: "support",
        result: "new",
      }),
    ]);
    const everything = h.logLines.join("\n");
    for (const secret of [SHOP.apiTokenInstance, SUPPORT.apiTokenInstance, h.telegram.token]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("/audit shows the newest 20 actions, times in the reader's format, and tells when there are none", async () => {
    h = await startHarness();
    expect(await audit(h)).toEqual(["🧾 No operator actions recorded yet."]);

    const redis = new Redis(redisUrl());
    const silent = createLogger({ level: "silent", redactor: new Redactor([]) });
    const log = new AuditLog(redis, h.config.env.REDIS_PREFIX, silent);
    for (let i = 1; i <= 24; i++) {
      await log.record({
        action: "reboot",
        userId: OPERATOR,
        chatId: OPERATOR,
        instance: "shop",
        result: `r${i}`,
      });
    }
    // The newest entry, stored at a known instant: /audit shows it in the reader's format.
    const at = Date.UTC(2031, 0, 2, 3, 4, 5);
    await redis.lpush(
      `${h.config.env.REDIS_PREFIX}:audit`,
      JSON.stringify({
        at,
        action: "mute",
        userId: 7,
        chatId: -5,
        instance: "support",
        result: "for 1h <b>",
      }),
    );
    redis.disconnect();

    const lines = await audit(h);
    expect(lines[0]).toBe("🧾 Last 20 actions (newest first)");
    expect(lines).toHaveLength(21);
    // Someone the bot never heard from keeps their id.
    expect(lines[1]).toBe("02/01/2031, 03:04:05 UTC mute support → for 1h <b> · user 7 · group -5");
    expect(lines[2]).toMatch(/ reboot shop → r24 · /);
    expect(lines[20]).toMatch(/ reboot shop → r6 · /);
  });

  it("/audit from a stranger gets no answer", async () => {
    h = await startHarness();
    h.telegram.userSends({ chatId: STRANGER, fromId: STRANGER, text: "/audit" });
    await eventually(
      () => h.logLines.some((line) => line.includes("update denied")),
      "the denial in the log",
    );
    await pause(300);
    expect(h.telegram.callsOf("sendMessage")).toHaveLength(0);
  });
});
