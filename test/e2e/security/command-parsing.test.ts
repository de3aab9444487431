import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramSecretToken } from "../../../src/config/webhook-secrets.js";
import { type Harness, OPERATOR, STRANGER } from "../../kit/app-harness.js";
import { httpUrl, startWatching } from "../alerts/kit.js";

/**
 * Issue #22, hole 2. grammY runs a command whose `bot_command` entity is anywhere in the list at
 * offset 0; 0.2.0's guard read only entities[0]. Bold over the whole text, then the command, made
 * "/audit" look like a typed reply (operate) while the handler still ran. One parser now serves
 * both, and admin-only handlers ask for `administer` themselves.
 */
const ADMIN = 4004;
const VIEWER = 4005;
type Entity = { type: string; offset: number; length: number };

let h: Harness;
let secret: string;
let updateId = 1;
let messageId = 5000;

beforeAll(async () => {
  h = await startWatching({
    env: {
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://greenlight.example.com",
      STATE_POLL_INTERVAL_MS: "0",
      ADMIN_IDS: String(ADMIN),
      VIEWER_IDS: String(VIEWER),
    },
  });
  for (const id of [ADMIN, VIEWER, STRANGER]) h.telegram.userStartedBot(id);
  secret = telegramSecretToken(h.config.env);
});
afterAll(async () => h.close());

/**
 * Posts one update through the webhook as Telegram would, and returns what the bot sent for it
 * (the webhook answers once the handlers are done).
 */
async function send(
  fromId: number,
  content: { text: string; entities: Entity[] } | { caption: string; caption_entities: Entity[] },
  groupId?: number,
): Promise<string[]> {
  const before = h.telegram.calls.length;
  const photo =
    "caption" in content
      ? { photo: [{ file_id: "x", file_unique_id: "x", width: 1, height: 1 }] }
      : {};
  const answer = await fetch(httpUrl(h, "/telegram/webhook"), {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
    body: JSON.stringify({
      update_id: updateId++,
      message: {
        message_id: messageId++,
        date: Math.floor(Date.now() / 1000),
        chat:
          groupId === undefined
            ? { id: fromId, type: "private", first_name: "U" }
            : { id: groupId, type: "supergroup", title: "team" },
        from: { id: fromId, is_bot: false, first_name: "U", language_code: "en" },
        ...photo,
        ...content,
      },
    }),
  });
  expect(answer.status).toBe(200);
  return h.telegram.calls
    .slice(before)
    .filter((call) => call.method.startsWith("send"))
    .map((call) => String(call.params.text ?? call.params.caption ?? "").replace(/<[^>]+>/g, ""));
}

const bold = (length: number): Entity => ({ type: "bold", offset: 0, length });
const command = (length: number): Entity => ({ type: "bot_command", offset: 0, length });

describe("one command parser for the guard and the routing (hole 2)", () => {
  it("refuses an operator's /audit and /instances whose first entity is formatting", async () => {
    const audit = await send(OPERATOR, { text: "/audit", entities: [bold(6), command(6)] });
    expect(audit).toEqual(["🔒 Not allowed: this needs an admin of at least one instance."]);
    const list = await send(OPERATOR, { text: "/instances", entities: [bold(10), command(10)] });
    expect(list).toEqual(["🔒 Not allowed: this needs an admin of at least one instance."]);
    // An admin gets them, formatted or not.
    expect((await send(ADMIN, { text: "/audit", entities: [bold(6), command(6)] }))[0]).toMatch(
      /^🧾/,
    );
  });

  it("refuses an operator's formatted /logout shop: no confirmation is armed", async () => {
    const text = "/logout shop";
    const seen = await send(OPERATOR, { text, entities: [bold(text.length), command(7)] });
    expect(seen).toEqual([
      "🔒 You are an operator of shop: this needs an admin. Ask an admin of this bot.",
    ]);
  });

  it("reads a command in a caption the same way", async () => {
    const seen = await send(OPERATOR, {
      caption: "/audit",
      caption_entities: [{ type: "italic", offset: 0, length: 6 }, command(6)],
    });
    expect(seen).toEqual(["🔒 Not allowed: this needs an admin of at least one instance."]);
  });

  it("answers a member's unknown command in a group only when it names this bot", async () => {
    const GROUP = -100777;
    expect(await send(ADMIN, { text: "/frobnicate", entities: [command(11)] }, GROUP)).toEqual([]);
    const named = "/frobnicate@greenlight_test_bot";
    expect(await send(ADMIN, { text: named, entities: [command(named.length)] }, GROUP)).toEqual([
      "Unknown command /frobnicate. /help lists yours.",
    ]);
  });

  it("leaves /audit@other_bot alone and answers /audit@greenlight_test_bot", async () => {
    expect(await send(ADMIN, { text: "/audit@other_bot", entities: [command(16)] })).toEqual([]);
    const ours = "/audit@greenlight_test_bot";
    expect((await send(ADMIN, { text: ours, entities: [command(ours.length)] }))[0]).toMatch(/^🧾/);
  });

  it("refuses unknown commands and a command entity that is not at the start, for the team and strangers alike", async () => {
    // A member's typo: one line pointing to /help (issue #26), nothing run.
    expect(await send(ADMIN, { text: "/frobnicate shop", entities: [command(11)] })).toEqual([
      "Unknown command /frobnicate. /help lists yours.",
    ]);
    expect(await send(STRANGER, { text: "/frobnicate shop", entities: [command(11)] })).toEqual([]);
    expect(await send(STRANGER, { text: "/audit", entities: [bold(6), command(6)] })).toEqual([]);
    // A viewer's "x /logout shop" is no command: a typed reply, which needs operate.
    const late: Entity = { type: "bot_command", offset: 2, length: 7 };
    expect(await send(VIEWER, { text: "x /logout shop", entities: [late] })).toEqual([]);
  });
});
