import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueueProbe } from "../../../src/alerts/queue-probe.js";
import type { Observation } from "../../../src/alerts/transitions.js";
import type { Instance } from "../../../src/config/index.js";
import { GreenApiError } from "../../../src/green-api/errors.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";

const logger = createLogger({
  level: "silent",
  redactor: new Redactor([]),
  destination: { write: () => undefined },
});
const instance = (name: string) =>
  ({ name, idInstance: name, apiTokenInstance: "t", apiUrl: "" }) as unknown as Instance;
const authorized = (name: string): readonly [string, Observation] => [
  name,
  { kind: "state", state: "authorized", at: 1, source: "poll" },
];
const loggedOut = (name: string): readonly [string, Observation] => [
  name,
  { kind: "state", state: "notAuthorized", at: 1, source: "poll" },
];

/** A GREEN-API that answers each instance's queue from `queues` and records who was asked. */
function greenApi(queues: Record<string, Array<{ id: string | undefined }> | "fail">) {
  const asked: string[] = [];
  return {
    asked,
    showMessagesQueue: async (target: Instance) => {
      asked.push(target.name);
      const queue = queues[target.name] ?? [];
      if (queue === "fail") throw new GreenApiError("timeout", "showMessagesQueue", target.name);
      return queue;
    },
  };
}

describe("queue readings: authorized instances, once per interval across processes", () => {
  const prefix = uniquePrefix("queue-probe");
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });
  const options = (turn = true) => ({
    timeoutMs: 1_000,
    signal: new AbortController().signal,
    beforeCheck: async () => turn,
  });
  const probe = (api: ReturnType<typeof greenApi>, p = prefix) =>
    new QueueProbe({ redis, prefix: p, greenApi: api, logger }, { intervalMs: 60_000 });

  it("reads authorized instances only, keeping the size and first id (never the bodies)", async () => {
    const api = greenApi({ shop: [{ id: "BAE1" }, { id: "BAE2" }], support: [{ id: "BAE9" }] });
    const readings = await probe(api, `${prefix}:a`).checkEach(
      [instance("shop"), instance("support")],
      [authorized("shop"), loggedOut("support")],
      options(),
    );
    expect(api.asked).toEqual(["shop"]);
    expect(readings).toEqual([
      ["shop", { kind: "queue", size: 2, head: "BAE1", at: expect.any(Number) }],
    ]);
  });

  it("two processes' shard jobs in one interval read an instance once", async () => {
    const api = greenApi({ shop: [] });
    const p = `${prefix}:b`;
    const first = await probe(api, p).checkEach(
      [instance("shop")],
      [authorized("shop")],
      options(),
    );
    const second = await probe(api, p).checkEach(
      [instance("shop")],
      [authorized("shop")],
      options(),
    );
    expect(api.asked).toEqual(["shop"]);
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });

  it("no fleet turn: no reading, and the next shard run may try again at once", async () => {
    const api = greenApi({ shop: [{ id: "BAE1" }] });
    const p = `${prefix}:c`;
    expect(
      await probe(api, p).checkEach([instance("shop")], [authorized("shop")], options(false)),
    ).toEqual([]);
    expect(api.asked).toEqual([]);
    expect(
      await probe(api, p).checkEach([instance("shop")], [authorized("shop")], options()),
    ).toHaveLength(1);
  });

  it("a failed reading says nothing (no observation), so the queue's clock is not reset", async () => {
    const api = greenApi({ shop: "fail" });
    expect(
      await probe(api, `${prefix}:d`).checkEach(
        [instance("shop")],
        [authorized("shop")],
        options(),
      ),
    ).toEqual([]);
    expect(api.asked).toEqual(["shop"]);
  });
});
