import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredMessage } from "../fakes/fake-telegram.js";
import {
  type Harness,
  OPERATOR,
  SHOP,
  SUPPORT,
  startHarness,
  type TestInstance,
} from "../kit/app-harness.js";
import { photoMessages, press, waitForCaption, waitForQr } from "../kit/chat.js";
import { redisUrl } from "../kit/redis.js";
import { eventually } from "../kit/wait.js";
import { Cluster, PROMO, peakPerSecond, SALES, sessionsRunBy } from "./cluster.js";

const INSTANCES = [SHOP, SUPPORT, SALES, PROMO];
const LOCK_MS = 2_000;
/** 400 ms between polls: one poller asks at most 3 times a second (GREEN-API's own limit). */
const POLL_MS = 400;
/** Generous bound for "within the stall interval" (a successor waits out the lock, then the lease). */
const TAKEOVER_MS = 8 * LOCK_MS;

describe("crashes with ROLE=bot and two ROLE=worker processes on one Redis", () => {
  let h: Harness;
  let cluster: Cluster;
  let redis: Redis;
  afterEach(async () => {
    cluster.killAll();
    redis.disconnect();
    await h.close();
  });

  async function setUp(workers: number): Promise<void> {
    h = await startHarness({
      start: false,
      instances: INSTANCES,
      qrRotateMs: 3_600_000,
      env: { SESSION_LOCK_MS: String(LOCK_MS), QR_POLL_INTERVAL_MS: String(POLL_MS) },
    });
    cluster = new Cluster(h);
    redis = new Redis(redisUrl());
    await Promise.all([
      cluster.spawn("bot"),
      ...Array.from({ length: workers }, () => cluster.spawn("worker")),
    ]);
  }

  const lease = (instance: TestInstance) =>
    redis.get(`${h.config.env.REDIS_PREFIX}:qr-session:${instance.name}:lease`);

  async function startSessions(instances: TestInstance[]): Promise<Map<string, StoredMessage>> {
    const shown = new Map<string, StoredMessage>();
    for (const instance of instances) {
      h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: `/qr ${instance.name}` });
      const payload = h.greenApi.instance(instance.idInstance).currentQrPayload();
      shown.set(instance.name, await waitForQr(h, payload));
    }
    return shown;
  }

  it("kill -9 of a worker: its sessions move to the other within the stall interval, each on its own message, never polled twice", async () => {
    await setUp(2);
    const [, first, second] = cluster.processes as [never, ...typeof cluster.processes];
    if (!first || !second) throw new Error("two workers expected");
    const live = await startSessions(INSTANCES);
    await eventually(
      () => sessionsRunBy(first).size + sessionsRunBy(second).size >= INSTANCES.length,
      "every session to be picked up by a worker",
    );
    const victim = sessionsRunBy(first).size > 0 ? first : second;
    const survivor = victim === first ? second : first;
    const moved = INSTANCES.filter((i) => sessionsRunBy(victim).has(i.name));
    const stayed = INSTANCES.filter((i) => !moved.includes(i));
    const leasesBefore = new Map(
      await Promise.all(INSTANCES.map(async (i) => [i.name, await lease(i)] as const)),
    );

    victim.child.kill("SIGKILL");
    await victim.exited;
    const next = new Map(
      INSTANCES.map((i) => [i.name, h.greenApi.instance(i.idInstance).rotateQr()]),
    );

    await eventually(
      () => moved.every((i) => sessionsRunBy(survivor).has(i.name)),
      "the survivor to run the moved sessions",
      TAKEOVER_MS,
    );
    // Every session, moved or not, shows its new QR on its own message.
    for (const instance of INSTANCES) {
      const shown = await waitForQr(h, next.get(instance.name) as string).catch(() => undefined);
      expect(shown?.messageId, `${instance.name} resumed on its message`).toBe(
        live.get(instance.name)?.messageId,
      );
    }
    expect(photoMessages(h)).toHaveLength(INSTANCES.length);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(INSTANCES.length);
    // One poller per session throughout: a moved session's lease has a new holder, the others
    // kept theirs, and no instance was ever asked for its QR faster than one poller asks.
    for (const instance of moved)
      expect(await lease(instance)).not.toBe(leasesBefore.get(instance.name));
    for (const instance of stayed)
      expect(await lease(instance)).toBe(leasesBefore.get(instance.name));
    for (const instance of INSTANCES) {
      expect(
        peakPerSecond(h.greenApi.callsOf("qr", instance.idInstance)),
        instance.name,
      ).toBeLessThanOrEqual(3);
    }

    // The survivor finishes a moved session as if nothing happened.
    const [first_moved] = moved;
    if (first_moved) {
      h.greenApi.instance(first_moved.idInstance).authorize();
      await waitForCaption(h, `${first_moved.name} is authorized`);
    }
  }, 90_000);

  it("kill -9 of the bot: sessions keep running in the worker, and a restarted bot cancels them across processes", async () => {
    await setUp(1);
    const [bot] = cluster.processes;
    if (!bot) throw new Error("no bot process");
    const live = (await startSessions([SHOP])).get("shop") as StoredMessage;

    bot.child.kill("SIGKILL");
    await bot.exited;
    const next = h.greenApi.instance(SHOP.idInstance).rotateQr();
    // Nobody takes Telegram updates now, yet the worker keeps the QR current.
    expect((await waitForQr(h, next)).messageId).toBe(live.messageId);

    await cluster.spawn("bot");
    press(h, h.telegram.message(OPERATOR, live.messageId) as StoredMessage, "✖️ Cancel");
    const ended = await waitForCaption(h, "QR session for shop cancelled");
    expect(ended.messageId).toBe(live.messageId);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(1);
    expect(peakPerSecond(h.greenApi.callsOf("qr", SHOP.idInstance))).toBeLessThanOrEqual(3);
  }, 90_000);

  // A worker frozen past its lease (SIGSTOP) and woken again: test/faults/takeover.test.ts, with
  // the default lease, puts every qr call down to its process.
});
