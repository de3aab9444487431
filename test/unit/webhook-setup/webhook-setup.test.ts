import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Instance } from "../../../src/config/index.js";
import { GreenApiError } from "../../../src/green-api/errors.js";
import type { InstanceSettings, SettingsPatch } from "../../../src/green-api/schemas.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { WebhookSetupStore } from "../../../src/webhook-setup/setup-store.js";
import { WebhookSetup } from "../../../src/webhook-setup/webhook-setup.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";

const SHOP = {
  name: "shop",
  idInstance: "1101000001",
  apiTokenInstance: "shop-token",
  apiUrl: "https://7103.api.greenapi.com",
} as Instance;
const GREENLIGHT = {
  url: "https://gl.example/green-api/webhook",
  tokenOf: (id: string) => `t-${id}`,
};
const APP = { webhookUrl: "https://crm.example/hook", webhookUrlToken: "app-secret" };

/** GREEN-API as the service sees it: settings, and a scripted failure per call. */
class Calls {
  settings: InstanceSettings = { ...APP, stateWebhook: "no" };
  readonly patches: SettingsPatch[] = [];
  failNext: Array<{ method: "getSettings" | "setSettings"; error: Error }> = [];

  private fail(method: string) {
    const index = this.failNext.findIndex((f) => f.method === method);
    if (index === -1) return;
    const [failure] = this.failNext.splice(index, 1);
    throw failure?.error;
  }

  getSettings = async () => {
    this.fail("getSettings");
    return { ...this.settings };
  };

  setSettings = async (_instance: Instance, patch: SettingsPatch) => {
    this.fail("setSettings");
    this.patches.push(patch);
    this.settings = { ...this.settings, ...patch };
    return true;
  };
}

describe("WebhookSetup: the calls around the plan, the record and the audit", () => {
  const prefix = uniquePrefix("webhook-setup");
  let redis: Redis;
  let store: WebhookSetupStore;
  let calls: Calls;
  let audited: string[];
  let setup: WebhookSetup;
  const request = { instance: SHOP, userId: 7, chatId: 7 };

  beforeAll(() => {
    redis = new Redis(redisUrl());
    store = new WebhookSetupStore(redis, prefix);
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    redis.disconnect();
  });
  beforeEach(async () => {
    await store.forget(SHOP.idInstance);
    calls = new Calls();
    audited = [];
    setup = new WebhookSetup({
      calls,
      store,
      audit: { record: async (entry) => void audited.push(`${entry.action}: ${entry.result}`) },
      logger: createLogger({ level: "silent", redactor: new Redactor([]) }),
      greenlight: GREENLIGHT,
      missing: [],
    });
  });

  it("on then off: greenlight's URL and token, then exactly the original; each audited", async () => {
    expect(await setup.switchOn(request, false)).toEqual({
      kind: "done",
      forwardUrl: APP.webhookUrl,
      turnedStateWebhookOn: true,
    });
    expect(calls.settings).toEqual({
      webhookUrl: GREENLIGHT.url,
      webhookUrlToken: "t-1101000001",
      stateWebhook: "yes",
    });
    expect(await store.storedForwardTarget(SHOP.idInstance)).toEqual({
      url: APP.webhookUrl,
      token: APP.webhookUrlToken,
    });
    expect(await setup.switchOn(request, false)).toEqual({ kind: "already-on" });
    expect((await setup.switchOff(request)).kind).toBe("done");
    expect(calls.settings).toEqual({ ...APP, stateWebhook: "no" });
    expect(await store.record(SHOP.idInstance)).toBeUndefined();
    expect(audited).toEqual([
      "webhook-on: done; stateWebhook turned on",
      "webhook-on: refused: already-on",
      "webhook-off: done; stateWebhook back to no",
    ]);
    expect(audited.join()).not.toMatch(/app-secret|t-1101000001|crm\.example/);
  });

  it("an application on a private host (SSRF): nothing is switched, unless FORWARD_PRIVATE_HOSTS names it", async () => {
    calls.settings = { webhookUrl: "http://169.254.169.254/latest", webhookUrlToken: "" };
    const refused = { kind: "private-target", forwardUrl: "http://169.254.169.254/latest" };
    expect(await setup.preview(SHOP)).toEqual(refused);
    expect(await setup.switchOn(request, true)).toEqual(refused);
    expect(calls.patches).toEqual([]);
    expect(await store.record(SHOP.idInstance)).toBeUndefined();
    expect(audited).toEqual(["webhook-on: refused: private-target"]);

    calls.settings = { webhookUrl: "http://10.0.0.7:8080/hook", webhookUrlToken: "" };
    const allowing = new WebhookSetup({
      calls,
      store,
      audit: { record: async () => undefined },
      logger: createLogger({ level: "silent", redactor: new Redactor([]) }),
      greenlight: GREENLIGHT,
      missing: [],
      privateHosts: ["10.0.0.7"],
    });
    expect((await allowing.switchOn(request, true)).kind).toBe("done");
    expect(await store.storedForwardTarget(SHOP.idInstance)).toEqual({
      url: "http://10.0.0.7:8080/hook",
    });
  });

  it("a setSettings refused outright forgets the record; one that may have applied keeps it", async () => {
    calls.failNext.push({
      method: "setSettings",
      error: new GreenApiError("unauthorized", "setSettings", "shop", 401),
    });
    expect(await setup.switchOn(request, false)).toMatchObject({
      kind: "failed",
      reason: "credentials-rejected",
      mayHaveApplied: false,
    });
    expect(await store.record(SHOP.idInstance)).toBeUndefined();

    calls.failNext.push({
      method: "setSettings",
      error: new GreenApiError("timeout", "setSettings", "shop"),
    });
    expect(await setup.switchOn(request, false)).toMatchObject({
      kind: "failed",
      reason: "timeout",
      mayHaveApplied: true,
    });
    // Kept, so that /webhook off can still restore it.
    expect((await store.record(SHOP.idInstance))?.original).toMatchObject(APP);
    expect((await setup.switchOff(request)).kind).toBe("done");
    expect(calls.settings).toEqual({ ...APP, stateWebhook: "no" });
  });

  it("a 429 is tried once more; a second one fails", async () => {
    const limited = () => new GreenApiError("rate-limited", "getSettings", "shop", 429);
    calls.failNext.push({ method: "getSettings", error: limited() });
    expect((await setup.switchOn(request, false)).kind).toBe("done");
    await setup.switchOff(request);
    calls.failNext.push(
      { method: "getSettings", error: limited() },
      { method: "getSettings", error: limited() },
    );
    expect(await setup.switchOn(request, false)).toMatchObject({ reason: "rate-limited" });
    expect(calls.patches).toHaveLength(2);
  });

  it("no webhook URL: asks for the acknowledgement before anything is kept or set", async () => {
    calls.settings = { webhookUrl: "", webhookUrlToken: "", stateWebhook: "no" };
    expect(await setup.switchOn(request, false)).toEqual({ kind: "needs-polling-ack" });
    expect(calls.patches).toEqual([]);
    expect(await store.record(SHOP.idInstance)).toBeUndefined();
    expect((await setup.switchOn(request, true)).kind).toBe("done");
    expect(await store.storedForwardTarget(SHOP.idInstance)).toBeUndefined();
  });

  it("not configured: refuses, naming what is missing, and calls nothing", async () => {
    const unconfigured = new WebhookSetup({
      calls,
      store,
      audit: { record: async () => undefined },
      logger: createLogger({ level: "silent", redactor: new Redactor([]) }),
      missing: ["WEBHOOK_URL"],
    });
    expect(await unconfigured.switchOn(request, true)).toEqual({
      kind: "not-configured",
      missing: ["WEBHOOK_URL"],
    });
    expect(await unconfigured.switchOff(request)).toMatchObject({ kind: "not-configured" });
    expect(calls.patches).toEqual([]);
  });

  it("the first notification after the switch is noted once; none without a switch", async () => {
    const id = SHOP.idInstance;
    await store.noteNotification(id, 1_000);
    expect(await store.firstSeenAt(id)).toBeUndefined();
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    await setup.switchOn(request, false);
    const notes = new WebhookSetupStore(redis, prefix); // the HTTP server's own
    await notes.noteNotification(id, 10_000);
    await notes.noteNotification(id, 20_000);
    expect(await store.firstSeenAt(id)).toBe(10_000);
    // Switched again: the next notification is the new first one.
    await setup.switchOff(request);
    await setup.switchOn(request, false);
    expect(await store.firstSeenAt(id)).toBeUndefined();
    await notes.noteNotification(id, 30_000);
    expect(await store.firstSeenAt(id)).toBe(30_000);
  });
});
