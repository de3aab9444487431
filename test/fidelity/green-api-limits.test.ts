import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { GreenApiClient } from "../../src/green-api/client.js";
import { GreenApiRateLimiter } from "../../src/green-api/rate-limiter.js";
import { createLogger } from "../../src/shared/logger.js";
import { Redactor } from "../../src/shared/redact.js";
import { type Harness, OPERATOR, SHOP, startHarness } from "../kit/app-harness.js";
import { buttonsOf, waitForText } from "../kit/chat.js";
import { pause } from "../kit/wait.js";

/** GREEN-API's per-instance limits: getStateInstance 1/s, qr 3/s; 429 above (REAL-API.md). */
describe("one GREEN-API rate limiter per instance and method, shared by every caller and process", () => {
  let h: Harness;
  const connections: Redis[] = [];
  afterEach(async () => {
    for (const connection of connections) connection.disconnect();
    connections.length = 0;
    await h.close();
  });

  /** A GREEN-API client as another process has it: its own Redis connection, the same prefix. */
  function processClient(): GreenApiClient {
    const redis = new Redis(h.env.REDIS_URL as string);
    connections.push(redis);
    const logger = createLogger({
      level: "silent",
      redactor: new Redactor([]),
      destination: { write: () => undefined },
    });
    return new GreenApiClient({
      timeoutMs: 2_000,
      gate: new GreenApiRateLimiter(redis, { prefix: h.config.env.REDIS_PREFIX, logger }),
      maxGateWaitMs: 10_000,
    });
  }

  it("three callers hammering getStateInstance on one instance for 10 s across two processes get 0 answers of 429, and /status meanwhile is not 'unreachable'", async () => {
    // The app's own state watcher competes too (every second), besides the three callers.
    h = await startHarness({ env: { STATE_POLL_INTERVAL_MS: "1000" } });
    expect(h.greenApi.enforceRateLimits).toBe(true);
    const instance = h.config.instances.find("shop");
    if (!instance) throw new Error("no shop");
    const [first, second] = [processClient(), processClient()];
    const started = Date.now();
    const until = started + 10_000;
    const answers: string[] = [];
    const hammer = async (client: GreenApiClient) => {
      while (Date.now() < until) {
        answers.push(await client.getStateInstance(instance).catch((e: Error) => e.message));
      }
    };
    const callers = Promise.all([hammer(first), hammer(first), hammer(second)]);
    await pause(3_000);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/status" });
    const list = await waitForText(h, "Instances");
    await callers;

    const calls = h.greenApi.callsOf("getStateInstance", SHOP.idInstance);
    expect(calls.filter((call) => call.status === 429)).toHaveLength(0);
    // About one a second went out while the callers hammered (the watcher and /status go on
    // calling before and after that window, at the same pace), and every caller got its answers.
    const inWindow = calls.filter((call) => call.at >= started && call.at <= until);
    expect(inWindow.length).toBeGreaterThanOrEqual(7);
    expect(inWindow.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < calls.length; i++) {
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    }
    expect(answers.every((answer) => answer === "notAuthorized")).toBe(true);
    expect(list.text).toContain("shop — ⚠️ not authorized");
    expect(list.text).not.toContain("unreachable");
    expect(buttonsOf(list)).toContain("📷 QR shop");
  }, 40_000);

  it("the fake answers 429 above the documented limits (switchable)", async () => {
    h = await startHarness({ start: false });
    const url = `${h.greenApi.apiUrl}/waInstance${SHOP.idInstance}/getStateInstance/${SHOP.apiTokenInstance}`;
    const statuses = await Promise.all([fetch(url), fetch(url), fetch(url)]).then((all) =>
      all.map((answer) => answer.status),
    );
    expect(statuses.sort()).toEqual([200, 429, 429]);
    h.greenApi.enforceRateLimits = false;
    expect((await fetch(url)).status).toBe(200);
  });
});
