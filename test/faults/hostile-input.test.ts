import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qrActions } from "../../src/telegram/callback-data.js";
import {
  GROUP_CHAT,
  type Harness,
  OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
  startHarness,
} from "../kit/app-harness.js";
import { photoMessages, textMessages, waitForQr } from "../kit/chat.js";
import { redisUrl } from "../kit/redis.js";
import { eventually, pause } from "../kit/wait.js";

// What hostile or careless input looks like: any code point (controls included), right-to-left
// text and bidi overrides, HTML, separators, and messages far longer than a command should be.
const nasty = fc.constantFrom(
  "\u202E",
  "\u200F",
  "\u200B",
  "\u0000",
  "\u0007",
  "\n",
  "\t",
  "שלום",
  "مرحبا",
  "<b>",
  "</i>",
  "&amp;",
  '"',
  ":",
  "@",
  "/",
  "qr",
  "shop",
  "💥",
  "e\u0301",
);
const junk = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: nasty, maxLength: 30 }),
  fc.string({ unit: "grapheme-ascii", minLength: 3000, maxLength: 5000 }),
);
const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

type Input =
  /** An operator's /qr with an argument that names no instance: a short, clear reply. */
  | { kind: "qr-junk"; text: string }
  /** Unknown commands, commands for another bot, plain junk: ignored or a clear reply. */
  | { kind: "operator-text"; text: string }
  /** A stranger, even with a valid command: ignored. */
  | { kind: "stranger-text"; text: string; inGroup: boolean }
  /** Button data an operator never got from us: "no longer valid" or "already ended". */
  | { kind: "operator-press"; data: string; onGroupSession: boolean }
  /** A stranger pressing anything, even a real button: "Not allowed." */
  | { kind: "stranger-press"; data: string };

describe("hostile input changes nothing", () => {
  let h: Harness;
  let redis: Redis;
  let usageMessageId: number;
  let groupSession: { messageId: number; sessionId: string };
  const sessionKey = () => `${h.config.env.REDIS_PREFIX}:qr-session:support`;
  const isConfigured = (name: string) => h.config.instances.find(name) !== undefined;

  beforeAll(async () => {
    h = await startHarness({ qrRotateMs: 3_600_000, env: { QR_TIMEOUT_MS: "300000" } });
    redis = new Redis(redisUrl());
    // A bot message in the operator's chat to press forged buttons on, and a live session in a
    // group: "another chat's session" that no forged press may touch.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr" });
    usageMessageId = (await eventually(() => textMessages(h)[0], "the usage reply")).messageId;
    h.telegram.userSends({
      chatId: GROUP_CHAT,
      fromId: OPERATOR,
      chatType: "group",
      text: "/qr support",
    });
    const live = await waitForQr(
      h,
      h.greenApi.instance(SUPPORT.idInstance).currentQrPayload(),
      GROUP_CHAT,
    );
    const sessionId = await redis.hget(sessionKey(), "sessionId");
    if (!sessionId) throw new Error("no session record for support");
    groupSession = { messageId: live.messageId, sessionId };
  });
  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  const input: fc.Arbitrary<Input> = fc.oneof(
    junk
      .filter((arg) => arg.trim() !== "" && !isConfigured(arg))
      .map((arg) => ({ kind: "qr-junk" as const, text: `/qr ${arg}` })),
    fc
      .tuple(fc.constantFrom("/zz", "/zzunknown", "/qr@other_bot", "/QR", ""), junk)
      .map(([head, rest]) => ({
        kind: "operator-text" as const,
        text: head === "/qr@other_bot" ? `${head} shop` : `${head}${head ? " " : ""}${rest}`,
      }))
      // Naming a configured instance would be a real request (a /QR may count as /qr).
      .filter(
        (i) =>
          i.text !== "" && (i.text.startsWith("/qr@other_bot") || !/shop|support/i.test(i.text)),
      ),
    fc
      .tuple(fc.constantFrom("/qr shop", "/audit", "/qr ", "/cancel "), junk, fc.boolean())
      .map(([head, rest, inGroup]) => ({
        kind: "stranger-text" as const,
        text: head.endsWith(" ") ? head + rest : head,
        inGroup,
      })),
    fc
      .oneof(
        // 1..64 bytes of anything.
        fc.string({ unit: "binary", minLength: 1, maxLength: 64 }),
        // Well-formed but forged: another prefix or action, an instance that is not configured.
        fc
          .tuple(
            fc.constantFrom("qr", "code", "alert", "mute", "audit", "x"),
            fc.oneof(fc.constantFrom(...qrActions, "ask", "new", "qr", "yes"), junk),
            fc.oneof(fc.constantFrom("nope", "SHOP2", "shop ", "../shop", "*"), junk),
          )
          .filter(([, , name]) => !isConfigured(name))
          .map((parts) => parts.join(":")),
      )
      .filter((data) => byteLength(data) >= 1 && byteLength(data) <= 64)
      .chain((data) =>
        fc.oneof(
          fc.constant({ kind: "operator-press" as const, data, onGroupSession: false }),
          fc.constant({ kind: "stranger-press" as const, data }),
        ),
      ),
    // A real button of another chat's session, pressed where it does not belong.
    fc.constant({
      kind: "operator-press" as const,
      data: "qr:cancel:support",
      onGroupSession: false,
    }),
    // Real buttons of the group session, pressed by a stranger.
    fc
      .constantFrom(...qrActions)
      .map((action) => ({ kind: "stranger-press" as const, data: `qr:${action}:support` })),
  );

  async function feed(i: Input): Promise<void> {
    switch (i.kind) {
      case "qr-junk": {
        const { messageId } = h.telegram.userSends({
          chatId: OPERATOR,
          fromId: OPERATOR,
          text: i.text,
        });
        const reply = await eventually(
          () =>
            h.telegram
              .callsOf("sendMessage")
              .find(
                (call) =>
                  call.ok &&
                  (call.params.reply_parameters as { message_id?: number } | undefined)
                    ?.message_id === messageId,
              ),
          "the reply to /qr with junk",
        );
        const text = String(reply.params.text);
        expect(text.length).toBeLessThan(200);
        expect(text).toMatch(/^(Unknown instance “|Usage: )/);
        return;
      }
      case "operator-text":
        h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: i.text });
        return;
      case "stranger-text":
        h.telegram.userSends(
          i.inGroup
            ? { chatId: GROUP_CHAT, fromId: STRANGER, chatType: "group", text: i.text }
            : { chatId: STRANGER, fromId: STRANGER, text: i.text },
        );
        return;
      case "operator-press":
      case "stranger-press": {
        const stranger = i.kind === "stranger-press";
        const { callbackQueryId } = h.telegram.userPresses(
          stranger
            ? {
                chatId: GROUP_CHAT,
                fromId: STRANGER,
                messageId: groupSession.messageId,
                data: i.data,
              }
            : { chatId: OPERATOR, fromId: OPERATOR, messageId: usageMessageId, data: i.data },
        );
        const answer = await eventually(
          () => h.telegram.answeredCallback(callbackQueryId),
          "the answer to the press",
        );
        const allowed = stranger
          ? ["Not allowed."]
          : ["This button is no longer valid.", "This QR session has already ended."];
        expect(allowed).toContain(answer.params.text);
        return;
      }
    }
  }

  it("random, oversized, unicode, RTL and control-character commands and forged buttons: a clear answer or nothing, and no change", async () => {
    const greenApiCallsBefore = h.greenApi.calls.length;
    await fc.assert(fc.asyncProperty(input, feed), { numRuns: 150 });
    await pause(500); // let anything still in flight land before looking for changes

    // No GREEN-API call but the group session's own polling.
    const calls = h.greenApi.calls.slice(greenApiCallsBefore);
    expect(calls.filter((c) => c.idInstance === SHOP.idInstance)).toEqual([]);
    for (const call of calls) expect(["qr", "getStateInstance"]).toContain(call.method);
    // No new session, no photo, the group session untouched.
    const keys = await redis.keys(`${h.config.env.REDIS_PREFIX}:qr-session:*`);
    expect(keys.sort()).toEqual([sessionKey(), `${sessionKey()}:lease`]);
    expect(await redis.hget(sessionKey(), "sessionId")).toBe(groupSession.sessionId);
    expect(await redis.hget(sessionKey(), "cancelledBy")).toBeNull();
    expect(photoMessages(h, OPERATOR)).toEqual([]);
    expect(photoMessages(h, GROUP_CHAT).map((m) => m.messageId)).toEqual([groupSession.messageId]);
    expect(h.telegram.message(GROUP_CHAT, groupSession.messageId)?.caption).toContain(
      "Scan to link support",
    );
    // Strangers heard nothing; no handler failed; every button press was answered once.
    const sent = h.telegram.callsOf("sendMessage");
    expect(sent.filter((c) => Number(c.params.chat_id) !== OPERATOR)).toEqual([]);
    expect(sent.map((c) => String(c.params.text))).not.toContain(
      "⚠️ greenlight is temporarily unavailable, try again in a moment.",
    );
    expect(h.logLines.filter((l) => /handler failed|unhandled bot error/.test(l))).toEqual([]);
    const answers = h.telegram
      .callsOf("answerCallbackQuery")
      .map((c) => c.params.callback_query_id);
    expect(new Set(answers).size).toBe(answers.length);
  }, 120_000);
});
