import { describe, expect, it } from "vitest";
import type { InstanceSettings } from "../../../src/green-api/schemas.js";
import {
  mayHaveApplied,
  needsSecondConfirmation,
  planSwitchOff,
  planSwitchOn,
  recordOf,
  type SetupRecord,
} from "../../../src/webhook-setup/plan.js";

const GREENLIGHT = { url: "https://gl.example/green-api/webhook", token: "a".repeat(64) };
const APP = "https://crm.example/hooks/green-api";

function settings(overrides: Partial<InstanceSettings> = {}): InstanceSettings {
  return {
    webhookUrl: APP,
    webhookUrlToken: "app-secret",
    stateWebhook: "no",
    incomingWebhook: "yes",
    outgoingWebhook: "yes",
    ...overrides,
  };
}

describe("planSwitchOn: what /webhook on sets and keeps", () => {
  it.each([
    {
      case: "an application with stateWebhook off: greenlight's URL and token, stateWebhook on",
      current: settings(),
      patch: { webhookUrl: GREENLIGHT.url, webhookUrlToken: GREENLIGHT.token, stateWebhook: "yes" },
      turnsStateWebhookOn: true,
      pollingWarning: false,
    },
    {
      case: "stateWebhook already on: left alone, not in the patch",
      current: settings({ stateWebhook: "yes" }),
      patch: { webhookUrl: GREENLIGHT.url, webhookUrlToken: GREENLIGHT.token },
      turnsStateWebhookOn: false,
      pollingWarning: false,
    },
    {
      case: "stateWebhook not answered: turned on (a new instance's switches are off)",
      current: settings({ stateWebhook: undefined }),
      patch: { webhookUrl: GREENLIGHT.url, webhookUrlToken: GREENLIGHT.token, stateWebhook: "yes" },
      turnsStateWebhookOn: true,
      pollingWarning: false,
    },
    {
      case: "no webhook URL: the polling warning",
      current: settings({ webhookUrl: "", webhookUrlToken: "" }),
      patch: { webhookUrl: GREENLIGHT.url, webhookUrlToken: GREENLIGHT.token, stateWebhook: "yes" },
      turnsStateWebhookOn: true,
      pollingWarning: true,
    },
    {
      case: "a URL of blanks counts as none",
      current: settings({ webhookUrl: "  " }),
      patch: { webhookUrl: GREENLIGHT.url, webhookUrlToken: GREENLIGHT.token, stateWebhook: "yes" },
      turnsStateWebhookOn: true,
      pollingWarning: true,
    },
  ])("$case", ({ current, patch, turnsStateWebhookOn, pollingWarning }) => {
    const plan = planSwitchOn(current, GREENLIGHT);
    expect(plan).toEqual({
      kind: "switch",
      original: {
        webhookUrl: current.webhookUrl,
        webhookUrlToken: current.webhookUrlToken,
        ...(current.stateWebhook === undefined ? {} : { stateWebhook: current.stateWebhook }),
      },
      patch,
      turnsStateWebhookOn,
      pollingWarning,
    });
    // The application's other switches are never part of the change.
    expect(Object.keys(patch)).not.toContain("incomingWebhook");
    expect(needsSecondConfirmation(plan)).toBe(pollingWarning);
  });

  it.each([GREENLIGHT.url, `${GREENLIGHT.url}/`, ` ${GREENLIGHT.url} `])(
    "already pointing at greenlight (%j): nothing kept, nothing set, no second question",
    (url) => {
      const plan = planSwitchOn(settings({ webhookUrl: url }), GREENLIGHT);
      expect(plan).toEqual({ kind: "already-on" });
      expect(needsSecondConfirmation(plan)).toBe(false);
    },
  );
});

describe("recordOf: the original is also the forward target", () => {
  it.each([
    { url: APP, token: "app-secret", forward: { url: APP, token: "app-secret" } },
    { url: APP, token: "", forward: { url: APP } },
    { url: "", token: "", forward: undefined },
  ])("URL $url, token $token → forward $forward", ({ url, token, forward }) => {
    const plan = planSwitchOn(settings({ webhookUrl: url, webhookUrlToken: token }), GREENLIGHT);
    if (plan.kind !== "switch") throw new Error("expected a switch");
    const record = recordOf(plan, 1_000, 42);
    expect(record.forward).toEqual(forward);
    expect(record.original).toEqual({
      webhookUrl: url,
      webhookUrlToken: token,
      stateWebhook: "no",
    });
    expect(record).toMatchObject({ switchedAt: 1_000, userId: 42, turnedStateWebhookOn: true });
  });
});

function record(overrides: Partial<SetupRecord> = {}): SetupRecord {
  return {
    original: { webhookUrl: APP, webhookUrlToken: "app-secret", stateWebhook: "no" },
    forward: { url: APP, token: "app-secret" },
    turnedStateWebhookOn: true,
    switchedAt: 1,
    userId: 7,
    ...overrides,
  };
}

describe("planSwitchOff: exactly what was there", () => {
  it.each([
    {
      case: "switched on by greenlight: URL, token and stateWebhook back",
      record: record(),
      current: settings({ webhookUrl: GREENLIGHT.url, stateWebhook: "yes" }),
      plan: {
        kind: "restore",
        patch: { webhookUrl: APP, webhookUrlToken: "app-secret", stateWebhook: "no" },
      },
    },
    {
      case: "stateWebhook was on before: left on",
      record: record({
        turnedStateWebhookOn: false,
        original: { webhookUrl: APP, webhookUrlToken: "app-secret", stateWebhook: "yes" },
      }),
      current: settings({ webhookUrl: GREENLIGHT.url, stateWebhook: "yes" }),
      plan: { kind: "restore", patch: { webhookUrl: APP, webhookUrlToken: "app-secret" } },
    },
    {
      case: "no URL before (polling): the empty URL and token back",
      record: record({
        original: { webhookUrl: "", webhookUrlToken: "" },
        forward: undefined,
      }),
      current: settings({ webhookUrl: GREENLIGHT.url }),
      plan: {
        kind: "restore",
        patch: { webhookUrl: "", webhookUrlToken: "", stateWebhook: "no" },
      },
    },
    {
      case: "settings not applied yet (still the application's): restored anyway",
      record: record(),
      current: settings(),
      plan: {
        kind: "restore",
        patch: { webhookUrl: APP, webhookUrlToken: "app-secret", stateWebhook: "no" },
      },
    },
    {
      case: "settings unreadable: restored anyway",
      record: record(),
      current: undefined,
      plan: {
        kind: "restore",
        patch: { webhookUrl: APP, webhookUrlToken: "app-secret", stateWebhook: "no" },
      },
    },
    {
      case: "someone set another URL since: not overwritten",
      record: record(),
      current: settings({ webhookUrl: "https://new-app.example/hook" }),
      plan: { kind: "changed-since" },
    },
    {
      case: "never switched on: nothing to restore",
      record: undefined,
      current: settings(),
      plan: { kind: "not-on" },
    },
  ])("$case", ({ record, current, plan }) => {
    expect(planSwitchOff(record, current, GREENLIGHT.url)).toEqual(plan);
  });
});

describe("mayHaveApplied: a failed setSettings keeps the record when it may have reached GREEN-API", () => {
  it.each([
    ["timeout", true],
    ["network", true],
    ["server-error", true],
    ["invalid-answer", true],
    ["credentials-rejected", false],
    ["forbidden", false],
    ["rate-limited", false],
    ["bad-request", false],
    ["declined", false],
  ])("%s → %s", (reason, kept) => {
    expect(mayHaveApplied(reason)).toBe(kept);
  });
});
