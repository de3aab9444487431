import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../src/config/env.js";
import { configFrom } from "../../src/config/index.js";
import { redisUrl } from "../kit/redis.js";
import { assertSequence, fuzz } from "./fuzz.js";
import { startWorld, type World } from "./harness.js";
import { HOLES } from "./holes.js";
import { reached } from "./invariants.js";

/**
 * The access fuzzer (issue #22): random sequences of hostile and ordinary input against the real
 * bot, every rule of the README's "Who may do what" checked after every step (invariants.ts).
 * `npm run fuzz -- --runs N --seed S` runs it longer.
 */
const SEED = 22;
/** About 20 s alone on this 2-core machine (0.2 s a sequence), well inside the 60 s budget. */
const RUNS = 80;

describe("the access fuzzer", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ redisUrl: redisUrl() });
  });
  afterAll(async () => world?.close());

  for (const [name, steps] of Object.entries(HOLES)) {
    it(`hole ${name}: closed`, async () => {
      await assertSequence(world, steps, true);
    });
  }

  it(`${RUNS} random sequences (seed ${SEED}) break no rule, and reach what they must`, async () => {
    await fuzz(world, { runs: RUNS, seed: SEED, maxSteps: 10 });
    // A fuzzer that never logged out, rebooted, showed a QR or a code would prove nothing.
    expect(Object.keys(reached.mutations).sort()).toEqual(
      expect.arrayContaining(["getAuthorizationCode", "logout", "reboot"]),
    );
    expect(reached.qrCodes).toBeGreaterThan(0);
    expect(reached.pairingCodes).toBeGreaterThan(0);
    expect(reached.refusedUpdates).toBeGreaterThan(0);
  }, 120_000);
});

describe("hole 5. plain-http GREEN-API and webhook URLs", () => {
  const base = {
    BOT_TOKEN: "123456:ABCdefGhIJKlmnOPQRstuVWXyz0123456789",
    OPERATOR_IDS: "1001",
    GREEN_API_PARTNER_TOKEN: "partner-token-0123456789abcdef",
    REDIS_URL: "redis://127.0.0.1:6379",
  };
  const load = (env: Record<string, string>) => configFrom(parseEnv({ ...base, ...env }));

  it.each([
    ["GREEN_API_PARTNER_URL", { GREEN_API_PARTNER_URL: "http://api.green-api.com" }],
    ["GREEN_API_URL", { GREEN_API_URL: "http://api.green-api.com" }],
    [
      "WEBHOOK_URL",
      {
        BOT_MODE: "webhook",
        HTTP_PORT: "8080",
        WEBHOOK_SECRET: "0123456789abcdef0123",
        WEBHOOK_URL: "http://bot.example.com",
      },
    ],
    [
      "WEBHOOK_URL",
      {
        BOT_MODE: "webhook",
        HTTP_PORT: "8080",
        WEBHOOK_SECRET: "0123456789abcdef0123",
        WEBHOOK_URL: "https://bot.example.com:8080",
      },
    ],
  ])("%s over plain http or a port Telegram refuses: a start-up error naming it", (name, env) => {
    expect(() => load(env)).toThrow(name);
  });
});
