// First run: OPERATOR_IDS empty. The bot tells whoever writes their id and the .env line, says
// "not set up yet" to every other command, and does nothing else (no Redis, no GREEN-API).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "../../fakes/fake-telegram.js";
import { type Harness, startHarness } from "../../kit/app-harness.js";
import { freePort } from "../../kit/redis-server.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    // Nobody on the team, and a Redis nobody listens on: set-up mode needs none.
    env: { OPERATOR_IDS: "", REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
  });
});
afterAll(() => h.close());

async function reply(telegram: FakeTelegram, chatId: number, send: () => void) {
  const before = telegram.messagesIn(chatId).length;
  send();
  await telegram.waitFor((c) => c.method === "sendMessage" && c.params.chat_id === chatId);
  await expect.poll(() => telegram.messagesIn(chatId).length).toBe(before + 1);
  return telegram.messagesIn(chatId).at(-1)?.text ?? "";
}

describe("set-up mode (no OPERATOR_IDS)", () => {
  it("logs one line saying so", () => {
    const lines = h.logLines.filter((line) => line.includes("set-up mode"));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}").msg).toMatch(/^set-up mode: OPERATOR_IDS is empty/);
  });

  it("tells anyone who writes their id and the exact .env line", async () => {
    const text = await reply(h.telegram, 4242, () =>
      h.telegram.userSends({ chatId: 4242, fromId: 4242, text: "hello" }),
    );
    expect(text).toContain("Your Telegram id is 4242.");
    expect(text).toContain("\nOPERATOR_IDS=4242\n");
    expect(text).not.toContain("not set up yet");
  });

  it("answers every other command with 'not set up yet', and touches no instance", async () => {
    // Three people: each is answered once per cooldown (issue #22).
    for (const [userId, command] of [
      [4343, "/qr shop"],
      [4353, "/status"],
      [4363, "/logout shop"],
    ] as const) {
      const text = await reply(h.telegram, userId, () =>
        h.telegram.userSends({ chatId: userId, fromId: userId, text: command }),
      );
      expect(text).toMatch(/^⚙️ greenlight is not set up yet/);
      expect(text).toContain(`OPERATOR_IDS=${userId}`);
    }
    expect(h.greenApi.calls).toHaveLength(0);
  });

  it("answers one person once per cooldown, however often they write (issue #22)", async () => {
    for (let i = 0; i < 5; i++)
      h.telegram.userSends({ chatId: 4545, fromId: 4545, text: i % 2 ? "/start" : "/qr shop" });
    const sends = () =>
      h.telegram.callsOf("sendMessage").filter((c) => c.params.chat_id === 4545).length;
    const refused = () => h.logLines.filter((line) => line.includes("one reply per person")).length;
    // All five handled: four refusals logged, or (0.2.0) more than one answer sent.
    await expect.poll(() => refused() === 4 || sends() > 1).toBe(true);
    expect(sends()).toBe(1);
  });

  it("speaks the user's language", async () => {
    const text = await reply(h.telegram, 4444, () =>
      h.telegram.userSends({ chatId: 4444, fromId: 4444, text: "/start", languageCode: "ru" }),
    );
    expect(text).toContain("Ваш id в Telegram: 4444.");
    expect(text).toContain("OPERATOR_IDS=4444");
  });
});
