import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, SHOP } from "../../kit/app-harness.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, firstRunDone, startWatching } from "./kit.js";

/**
 * CHANGELOG 0.3.0 "Removed": 0.2.0 put each webhook state on the state-watch queue as a job of
 * its own. Such a job left in Redis at the upgrade is not run: it fails its check, is logged, and
 * the state it carried comes from the next state check instead.
 */
describe("a 0.2.0 'webhook' watch job left in Redis", () => {
  let h: Harness;
  let queue: Queue | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    await queue?.close();
    redis?.disconnect();
    await h.close();
  });

  it("fails its check, is logged, changes no watch record; the next check alerts as usual", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "2000" } });
    await firstRunDone(h);
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    queue = new Queue("state-watch", { connection: redis, prefix: h.config.env.REDIS_PREFIX });
    const watchKey = `${h.config.env.REDIS_PREFIX}:alerts:watch`;
    const before = await redis.hget(watchKey, SHOP.name);

    // As 0.2.0's enqueueWebhookState added it.
    const job = await queue.add(
      "webhook",
      { kind: "webhook", instance: SHOP.name, state: "notAuthorized", at: Date.now() },
      { attempts: 1 },
    );
    await eventually(
      async () => (await queue?.getJobState(job.id ?? "")) === "failed",
      "the legacy job to fail",
      10_000,
    );
    expect(
      h.logLines.some((line) => line.includes('"job failed"') && line.includes("state-watch")),
    ).toBe(true);
    expect(JSON.parse((await redis.hget(watchKey, SHOP.name)) ?? "{}")).toMatchObject({
      state: JSON.parse(before ?? "{}").state,
    });
    expect(alertsIn(h)).toEqual([]);

    // The state it carried is seen by the state checks: two in a row, then the alert.
    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    await checksPass(h, SHOP, 2);
    const alert = await eventually(() => alertsIn(h)[0], "the alert from the checks", 10_000);
    expect(alert.text).toMatch(/^🔴 shop: logged out since/);
  });
});
