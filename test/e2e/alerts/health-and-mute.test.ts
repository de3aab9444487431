import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { MuteStore } from "../../../src/alerts/mute-store.js";
import { AuditLog } from "../../../src/audit/audit-log.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { type Harness, OPERATOR, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { textMessages } from "../../kit/chat.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, checksPass, httpUrl, startWatching } from "./kit.js";
import { RedisServer } from "../../kit/redis-server.js";

async function health(h: Harness) {
  const answer = await fetch(httpUrl(h, "/healthz"));
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

describe("/healthz", () => {
  let h: Harness;
  let redis: RedisServer;
  afterEach(async () => {
    await redis.restart(); // lets the app stop cleanly
    await h.close();
    await redis.close();
  });

  it("reports Redis down (503), and healthy again once Redis is back, the watcher's schedule re-created", async () => {
    redis = await RedisServer.start();
    h = await startWatching({ env: { REDIS_URL: redis.url } });
    const ok = await eventually(async () => {
      const report = await health(h);
      return report.body.lastWatcherRun ? report : undefined;
    }, "a healthy report");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "ok", redis: "up", workers: 1 });

    await redis.kill();
    const down = await health(h);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "degraded", redis: "down" });

    // Redis returns empty (no persistence here): the scheduler is gone and must be re-created.
    await redis.restart();
    const back = await eventually(async () => {
      const report = await health(h);
      return report.status === 200 && report.body.lastWatcherRun ? report : undefined;
    }, "healthy again with a new watcher run");
    expect(back.body).toMatchObject({ status: "ok", redis: "up" });
  });
});

describe("/mute and /unmute", () => {
  let h: Harness;
  afterEach(async () => h.close());

  const send = (text: string) => h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });
  const reply = (fragment: string) =>
    eventually(
      () => textMessages(h).find((m) => m.text?.includes(fragment)),
      `a reply containing "${fragment}"`,
    );

  it("a muted instance does not alert; unmuted while still down, it does", async () => {
    h = await startWatching();
    await checksPass(h, [SHOP, SUPPORT], 1);
    send("/mute shop 2h");
    const muted = await reply("muted for 2 h");
    expect(muted.text).toMatch(/^🔕 Alerts for shop are muted for 2 h \(until \d\d:\d\d/);

    h.greenApi.instance(SHOP.idInstance).state = "notAuthorized";
    h.greenApi.instance(SUPPORT.idInstance).state = "notAuthorized";
    const alert = await eventually(() => alertsIn(h)[0], "support's alert");
    expect(alert.text).toContain("support: logged out");
    await checksPass(h, SHOP, 3);
    expect(alertsIn(h)).toHaveLength(1);
    expect(alertsIn(h)[0]?.text).not.toContain("shop");

    send("/unmute shop");
    await reply("Alerts for shop are on again");
    const shopAlert = await eventually(
      () => alertsIn(h).find((m) => m.text?.includes("shop: logged out")),
      "shop's alert once unmuted",
    );
    expect(shopAlert.text).not.toContain("support");

    const logger = createLogger({ level: "silent", redactor: new Redactor([]) });
    const connection = new Redis(redisUrl());
    try {
      const audit = new AuditLog(connection, h.config.env.REDIS_PREFIX, logger);
      const entries = await audit.recent();
      expect(entries.map((e) => [e.action, e.instance, e.userId])).toEqual([
        ["unmute", "shop", OPERATOR],
        ["mute", "shop", OPERATOR],
      ]);
      expect(await new MuteStore(connection, h.config.env.REDIS_PREFIX).all()).toEqual(new Map());
    } finally {
      connection.disconnect();
    }
  });

  it("explains its usage, unknown instances and bad durations, and mutes nothing then", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "60000" } });
    send("/mute");
    await reply("Usage: /mute <instance> <duration>");
    send("/mute nosuch 2h");
    await reply("Unknown instance “nosuch”");
    send("/mute shop forever");
    await reply("“forever” is not a duration");
    send("/mute shop 30d");
    await reply("“30d” is not a duration");
    send("/unmute shop");
    await reply("Alerts for shop were not muted");
    const connection = new Redis(redisUrl());
    try {
      expect(await new MuteStore(connection, h.config.env.REDIS_PREFIX).all()).toEqual(new Map());
    } finally {
      connection.disconnect();
    }
  });
});
