import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { AlertLanguage } from "../../../src/telegram/alert-language.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";

const redis = new Redis(redisUrl());
const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
  redis.disconnect();
});

const ADMIN = 4001;
const SECOND_ADMIN = 4002;
const OPERATOR = 1001;

function languages(configured?: "en" | "ru") {
  const prefix = uniquePrefix("alert-language");
  prefixes.push(prefix);
  let clock = 0;
  const make = () =>
    new AlertLanguage({
      redis,
      prefix,
      configured,
      leads: [ADMIN, SECOND_ADMIN],
      now: () => clock,
    });
  return { make, tick: (ms: number) => (clock += ms) };
}

describe("the alerts' language", () => {
  it("is English until a lead has written", async () => {
    const language = languages().make();
    expect(await language.locale()).toBe("en");
    await language.learn(OPERATOR, "ru"); // not a lead: the admins lead here
    expect(await language.locale()).toBe("en");
  });

  it("takes the first lead's Telegram language (ru-RU → ru) and keeps it", async () => {
    const language = languages().make();
    await language.learn(ADMIN, "de"); // a language greenlight does not speak: not learned
    await language.learn(SECOND_ADMIN, "ru-RU");
    await language.learn(ADMIN, "en");
    expect(await language.locale()).toBe("ru");
    expect((await language.texts()).fleet.expiryTodo).toBe("Продлите их в консоли GREEN-API.");
  });

  it("is shared by every process through Redis (re-read after a while)", async () => {
    const { make, tick } = languages();
    const worker = make();
    const bot = make();
    expect(await worker.locale()).toBe("en");
    await bot.learn(ADMIN, "ru");
    expect(await worker.locale()).toBe("en"); // read moments ago
    tick(30_000);
    expect(await worker.locale()).toBe("ru");
    // A second process that learns something else keeps the first one's choice.
    const late = make();
    await late.learn(SECOND_ADMIN, "en");
    expect(await late.locale()).toBe("ru");
  });

  it("ALERT_LANGUAGE wins and nothing is learned", async () => {
    const language = languages("en").make();
    await language.learn(ADMIN, "ru");
    expect(await language.locale()).toBe("en");
    expect(await languages("ru").make().locale()).toBe("ru");
  });
});
