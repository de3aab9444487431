import { afterEach, describe, expect, it } from "vitest";
import type { Instance } from "../../src/config/index.js";
import { GreenApiClient } from "../../src/green-api/client.js";
import { GreenApiError } from "../../src/green-api/errors.js";
import { FakeGreenApi } from "../fakes/fake-green-api.js";
import { eventually } from "../kit/wait.js";

/** getSettings / setSettings as GREEN-API documents them (REAL-API.md), through the real client. */
describe("getSettings and setSettings against the documented behaviour", () => {
  let fake: FakeGreenApi | undefined;
  afterEach(async () => fake?.close());

  async function setUp(options: { settingsApplyMs?: number; enforceRateLimits?: boolean } = {}) {
    fake = await FakeGreenApi.start(options);
    const added = fake.addInstance({ idInstance: 1101000001, apiTokenInstance: "tok-1101000001" });
    const instance = {
      name: "shop",
      idInstance: "1101000001",
      apiTokenInstance: "tok-1101000001",
      apiUrl: fake.apiUrl,
    } as Instance;
    return { fake, added, instance, client: new GreenApiClient({ timeoutMs: 2_000 }) };
  }

  it("reads a new instance's settings: no URL, no token, every switch off", async () => {
    const { client, instance } = await setUp();
    expect(await client.getSettings(instance)).toEqual({
      webhookUrl: "",
      webhookUrlToken: "",
      stateWebhook: "no",
      incomingWebhook: "no",
      outgoingWebhook: "no",
      outgoingMessageWebhook: "no",
      outgoingAPIMessageWebhook: "no",
    });
  });

  it("reads null URL and token, and an answer without the switches, as empty and unknown", async () => {
    const { client, instance, fake } = await setUp();
    fake.script(instance.idInstance, "getSettings", {
      json: { wid: "79001234567@c.us", webhookUrl: null, webhookUrlToken: null },
    });
    expect(await client.getSettings(instance)).toEqual({
      webhookUrl: "",
      webhookUrlToken: "",
      stateWebhook: undefined,
      incomingWebhook: undefined,
      outgoingWebhook: undefined,
      outgoingMessageWebhook: undefined,
      outgoingAPIMessageWebhook: undefined,
    });
  });

  it("setSettings answers saveSettings, reboots, and applies only the fields given after the delay", async () => {
    const { client, instance, added } = await setUp({ settingsApplyMs: 200 });
    added.authorize();
    added.settings = { ...added.settings, incomingWebhook: "yes" };
    const saved = await client.setSettings(instance, {
      webhookUrl: "https://gl.example/green-api/webhook",
      webhookUrlToken: "t".repeat(64),
    });
    expect(saved).toBe(true);
    expect(added.state).toBe("starting");
    expect(added.settingsApplied).toHaveLength(0);
    await eventually(() => added.settingsApplied.length === 1, "the settings applied");
    expect(added.state).toBe("authorized");
    expect(added.settingsApplied[0]).toMatchObject({
      webhookUrl: "https://gl.example/green-api/webhook",
      incomingWebhook: "yes",
      stateWebhook: "no",
    });
  });

  it("refuses a body without parameters or with a bad switch value (400), changing nothing", async () => {
    const { client, instance, added } = await setUp();
    for (const patch of [{}, { stateWebhook: "on" }]) {
      await expect(client.setSettings(instance, patch)).rejects.toMatchObject({
        failure: "bad-request",
      });
    }
    expect(added.state).toBe("notAuthorized");
  });

  it("limits both to 1 request a second per instance (429 above)", async () => {
    const { client, instance } = await setUp({ enforceRateLimits: true });
    await client.getSettings(instance);
    const second = await client.getSettings(instance).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(GreenApiError);
    expect((second as GreenApiError).failure).toBe("rate-limited");
    await client.setSettings(instance, { stateWebhook: "yes" });
    await expect(client.setSettings(instance, { stateWebhook: "no" })).rejects.toMatchObject({
      failure: "rate-limited",
    });
  });
});
