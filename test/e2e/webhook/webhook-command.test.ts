import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookSetupStore } from "../../../src/webhook-setup/setup-store.js";
import {
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  startHarness,
} from "../../kit/app-harness.js";
import { auditedResults } from "../../kit/audit.js";
import { buttonsOf, press, waitForText } from "../../kit/chat.js";
import { incomingMessageReceived } from "../../fakes/green-api-notifications.js";
import { redisUrl } from "../../kit/redis.js";
import { freePort } from "../../kit/redis-server.js";
import { eventually } from "../../kit/wait.js";
import { documentedInstanceToken } from "../../kit/webhook-token.js";

const WEBHOOK_SECRET = "webhook-secret-for-the-webhook-command";

/** The customer's application: records what GREEN-API posts to it, answers 200. */
async function startApplication() {
  const received: Array<{ authorization?: string; body: string }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/green-api`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("/webhook: greenlight in front of the application's GREEN-API webhook, and back", () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof startApplication>> | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    await h.close();
    await app?.close();
    redis?.disconnect();
    app = undefined;
  });

  async function start() {
    const port = await freePort();
    h = await startHarness({
      env: {
        ADMIN_IDS: String(OPERATOR),
        HTTP_PORT: String(port),
        WEBHOOK_SECRET,
        WEBHOOK_URL: `http://127.0.0.1:${port}`,
        // The application here is on loopback: a private host the operator allows.
        FORWARD_PRIVATE_HOSTS: "127.0.0.1",
      },
    });
    // GREEN-API applies new settings "within 5 minutes": here a moment after the reboot.
    h.greenApi.settingsApplyMs = 300;
    redis = new Redis(redisUrl());
    return {
      greenlightUrl: `http://127.0.0.1:${port}/green-api/webhook`,
      store: new WebhookSetupStore(redis, h.config.env.REDIS_PREFIX),
    };
  }

  const send = (text: string, fromId = OPERATOR) =>
    h.telegram.userSends({ chatId: fromId, fromId, text });

  it("on points shop at greenlight with its own token and keeps the original; off restores exactly", async () => {
    const { greenlightUrl, store } = await start();
    app = await startApplication();
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.authorize();
    shop.settings = {
      ...shop.settings,
      webhookUrl: app.url,
      webhookUrlToken: "app-secret",
      incomingWebhook: "yes",
      outgoingWebhook: "yes",
    };
    const original = { ...shop.settings };

    send("/webhook shop on");
    const question = await waitForText(h, "Point shop's GREEN-API webhook at greenlight?");
    expect(question.text).toContain("reboots the instance");
    expect(question.text).toContain("within 5 minutes");
    expect(question.text).toContain("greenlight turns it on");
    // Only the application's host is shown: its path may be a secret of its own.
    expect(question.text).toContain("http://127.0.0.1:");
    expect(question.text).not.toContain("/hooks/green-api");
    expect(buttonsOf(question)).toEqual(["✅ Yes, point it at greenlight", "↩️ No"]);
    expect(h.greenApi.callsOf("setSettings")).toHaveLength(0);

    press(h, question, "✅ Yes, point it at greenlight");
    await waitForText(h, "shop now points at greenlight");
    expect(shop.settings).toEqual({
      ...original,
      webhookUrl: greenlightUrl,
      webhookUrlToken: documentedInstanceToken(
        h.env.BOT_TOKEN ?? "",
        WEBHOOK_SECRET,
        SHOP.idInstance,
      ),
      stateWebhook: "yes",
    });
    expect(await store.storedForwardTarget(SHOP.idInstance)).toEqual({
      url: app.url,
      token: "app-secret",
    });

    // The reboot, then the settings apply: the state notification comes through greenlight.
    await eventually(() => shop.settingsApplied.length === 1, "the new settings applied");
    await eventually(() => store.firstSeenAt(SHOP.idInstance), "a notification through greenlight");
    send("/webhook shop");
    const view = await waitForText(h, "In effect since");
    expect(view.text).toContain("Now: → greenlight ✅");
    expect(view.text).toContain("greenlight turned stateWebhook on");
    // The relay forwards it to the application, with the application's own token.
    await eventually(
      () => app?.received.length === 1,
      "the notification relayed to the application",
    );
    expect(app.received[0]?.authorization).toBe("Bearer app-secret");

    send("/webhook shop off");
    const restore = await waitForText(h, "Restore shop's webhook to what it had");
    press(h, restore, "✅ Yes, restore");
    await waitForText(h, "webhook is back to http://127.0.0.1:");
    expect(shop.settings).toEqual(original);
    expect(await store.storedForwardTarget(SHOP.idInstance)).toBeUndefined();
    // Applied: GREEN-API sends to the application again, with the application's own token.
    await eventually(() => shop.settingsApplied.length === 2, "the original settings applied");
    h.greenApi.sendWebhook(SHOP.idInstance, incomingMessageReceived(Number(SHOP.idInstance)));
    await eventually(() => app?.received.length === 2, "a notification at the application");
    expect(app.received[1]?.authorization).toBe("Bearer app-secret");

    expect((await auditedResults(h)).slice(0, 2)).toEqual([
      "webhook-off: done; stateWebhook back to no",
      "webhook-on: done; stateWebhook turned on",
    ]);
    const logs = h.logLines.join("\n");
    expect(logs).not.toContain("app-secret");
  });

  it("no webhook URL: a second confirmation (a polling application would stop getting notifications)", async () => {
    const { store } = await start();
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.settings = { ...shop.settings, stateWebhook: "yes" };

    send("/webhook shop on");
    const first = await waitForText(h, "Point shop's GREEN-API webhook at greenlight?");
    expect(first.text).toContain("It has no webhook URL now.");
    press(h, first, "✅ Yes, point it at greenlight");
    const second = await waitForText(h, "would stop getting them");
    expect(second.text).toContain("ReceiveNotification");
    expect(buttonsOf(second)).toEqual(["✅ Yes, nothing polls it", "↩️ No"]);
    expect(h.greenApi.callsOf("setSettings")).toHaveLength(0);
    expect(await store.record(SHOP.idInstance)).toBeUndefined();

    press(h, second, "✅ Yes, nothing polls it");
    await waitForText(h, "shop now points at greenlight");
    expect(h.greenApi.callsOf("setSettings")).toHaveLength(1);
    // stateWebhook was on: left out of the change.
    expect(h.greenApi.callsOf("setSettings")[0]?.body).not.toHaveProperty("stateWebhook");
    expect(await store.record(SHOP.idInstance)).toMatchObject({
      original: { webhookUrl: "", webhookUrlToken: "", stateWebhook: "yes" },
      turnedStateWebhookOn: false,
    });
    expect(await store.storedForwardTarget(SHOP.idInstance)).toBeUndefined();
  });

  it("refuses a non-admin, and asks GREEN-API nothing", async () => {
    await start();
    send("/webhook shop on", SECOND_OPERATOR);
    await waitForText(h, "🔒 You are an operator of shop: this needs an admin.", SECOND_OPERATOR);
    send("/webhook shop off", SECOND_OPERATOR);
    send("/webhook shop", SECOND_OPERATOR);
    await eventually(
      () =>
        h.telegram.messagesIn(SECOND_OPERATOR).filter((message) => message.text?.startsWith("🔒"))
          .length === 3,
      "three refusals",
    );
    expect(h.greenApi.calls.filter((call) => /Settings$/.test(call.method))).toEqual([]);
  });
});
