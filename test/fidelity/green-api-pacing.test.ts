import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Instance } from "../../src/config/index.js";
import { GreenApiClient } from "../../src/green-api/client.js";
import { BACKGROUND_MAX_WAIT_MS, GreenApiRateLimiter } from "../../src/green-api/rate-limiter.js";
import { createLogger } from "../../src/shared/logger.js";
import { Redactor } from "../../src/shared/redact.js";
import { FakeGreenApi } from "../fakes/fake-green-api.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../kit/redis.js";

/**
 * GREEN-API's rate-limit table (green-api.com/en/docs/api/ratelimiter, REAL-API.md): getWaSettings
 * and showMessagesQueue 1/s per instance, 429 above. Every caller of greenlight goes through the
 * one limiter; a background call never queues ahead of an operator's.
 */
describe("every GREEN-API method greenlight calls is paced per GREEN-API's table", () => {
  let fake: FakeGreenApi;
  let redis: Redis;
  const prefix = uniquePrefix("pacing");
  const logger = createLogger({
    level: "silent",
    redactor: new Redactor([]),
    destination: { write: () => undefined },
  });

  beforeAll(async () => {
    // The fake's own 429s judge arrival times, which a loaded machine jitters: the pacing is
    // checked on the limiter's turns instead (test/fidelity/green-api-limits.test.ts, run alone,
    // checks the 429s).
    fake = await FakeGreenApi.start({ enforceRateLimits: false });
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    await fake.close();
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });

  const clientAndInstance = (id: number): [GreenApiClient, Instance] => {
    fake.addInstance({
      idInstance: id,
      apiTokenInstance: `token${id}`,
      state: "authorized",
      phone: "79001234567",
    });
    const client = new GreenApiClient({
      timeoutMs: 5_000,
      gate: new GreenApiRateLimiter(redis, { prefix, logger }),
    });
    return [
      client,
      {
        name: `i${id}`,
        idInstance: String(id),
        apiTokenInstance: `token${id}`,
        apiUrl: fake.apiUrl,
      } as Instance,
    ];
  };

  it("four getWaSettings and three showMessagesQueue at once on one instance go out a turn apart, every one answered", async () => {
    const [client, instance] = clientAndInstance(1101000001);
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => client.getWaSettings(instance).then((s) => s.phone)),
      ...Array.from({ length: 3 }, () =>
        client.showMessagesQueue(instance).then((queue) => String(queue.length)),
      ),
    ]);
    expect(answers).toEqual([
      ...Array.from({ length: 4 }, () => "79001234567"),
      ...Array.from({ length: 3 }, () => "0"),
    ]);
    // Turns are 1.2 s apart (1/s booked 20 % wide): four calls span at least three turns. A lower
    // bound only, which a loaded machine cannot break (a late call only widens it); unpaced, the
    // four would go out together.
    const getWa = fake.callsOf("getWaSettings", 1101000001).map((call) => call.at);
    expect(getWa).toHaveLength(4);
    expect((getWa[3] ?? 0) - (getWa[0] ?? 0)).toBeGreaterThanOrEqual(2_400);
    const queue = fake.callsOf("showMessagesQueue", 1101000001).map((call) => call.at);
    expect(queue).toHaveLength(3);
    expect((queue[2] ?? 0) - (queue[0] ?? 0)).toBeGreaterThanOrEqual(1_200);
  }, 20_000);

  it("a background call (the daily phone refresh) does not queue: with the slot taken it gives up without a request, and the operator's call goes next", async () => {
    const [client, instance] = clientAndInstance(1101000002);
    const operator = client.getWaSettings(instance);
    const background = await client
      .getWaSettings(instance, { maxWaitMs: BACKGROUND_MAX_WAIT_MS })
      .then(
        () => "answered",
        (error: Error) => error.message,
      );
    const second = client.getWaSettings(instance);
    await Promise.all([operator, second]);
    expect(background).toMatch(/rate/i);
    expect(fake.callsOf("getWaSettings", 1101000002).map((call) => call.status)).toEqual([
      200, 200,
    ]);
  }, 20_000);
});
