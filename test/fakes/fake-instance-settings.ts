// GREEN-API's getSettings / setSettings for the fake (REAL-API.md): an instance's settings, saved
// at once and applied after a reboot and a delay (the docs: "the instance is rebooted", "settings
// are applied within 5 minutes"), `settingsApplyMs` in the fake.

/** The switches greenlight reads or a test sets; every other documented field is answered fixed. */
export interface FakeSettings {
  webhookUrl: string;
  webhookUrlToken: string;
  stateWebhook: string;
  incomingWebhook: string;
  outgoingWebhook: string;
  outgoingMessageWebhook: string;
  outgoingAPIMessageWebhook: string;
}

const SWITCHES = [
  "stateWebhook",
  "incomingWebhook",
  "outgoingWebhook",
  "outgoingMessageWebhook",
  "outgoingAPIMessageWebhook",
] as const;

/** Documented setSettings parameters the fake accepts without keeping them. */
const OTHER_PARAMETERS = new Set([
  "delaySendMessagesMilliseconds",
  "markIncomingMessagesReaded",
  "markIncomingMessagesReadedOnReply",
  "keepOnlineStatus",
  "pollMessageWebhook",
  "incomingCallWebhook",
  "incomingBlockWebhook",
  "deviceWebhook",
  "editedMessageWebhook",
  "deletedMessageWebhook",
  "sharedSession",
]);

/** "After creating an instance, all settings are disabled by default" (SetSettings page). */
export function defaultSettings(): FakeSettings {
  return {
    webhookUrl: "",
    webhookUrlToken: "",
    stateWebhook: "no",
    incomingWebhook: "no",
    outgoingWebhook: "no",
    outgoingMessageWebhook: "no",
    outgoingAPIMessageWebhook: "no",
  };
}

/** getSettings' documented answer (green-api.com/en/docs/api/account/GetSettings). */
export function getSettingsAnswer(phone: string, settings: FakeSettings): Record<string, unknown> {
  return {
    wid: `${phone}@c.us`,
    countryInstance: "",
    typeAccount: "",
    ...settings,
    delaySendMessagesMilliseconds: 5000,
    markIncomingMessagesReaded: "no",
    markIncomingMessagesReadedOnReply: "no",
    sharedSession: "no",
    deviceWebhook: "no",
    statusInstanceWebhook: "no",
    keepOnlineStatus: "no",
    pollMessageWebhook: "no",
    incomingBlockWebhook: "no",
    incomingCallWebhook: "no",
  };
}

/**
 * A setSettings body as the docs describe it: any subset of the parameters, at least one; strings
 * for the URL and token, "yes" / "no" for the switches. Anything else: the 400 GREEN-API gives a
 * bad request (common errors).
 */
export function readSettingsPatch(
  body: unknown,
): { ok: true; patch: Partial<FakeSettings> } | { ok: false; message: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, message: "body must be a JSON object" };
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length === 0) return { ok: false, message: "at least one parameter is required" };
  const patch: Partial<FakeSettings> = {};
  for (const [name, value] of entries) {
    if (name === "webhookUrl" || name === "webhookUrlToken") {
      if (typeof value !== "string") return { ok: false, message: `${name} must be a string` };
      patch[name] = value;
    } else if ((SWITCHES as readonly string[]).includes(name)) {
      if (value !== "yes" && value !== "no")
        return { ok: false, message: `${name} must be yes or no` };
      patch[name as (typeof SWITCHES)[number]] = value;
    } else if (!OTHER_PARAMETERS.has(name)) {
      return { ok: false, message: `unknown parameter ${name}` };
    }
  }
  return { ok: true, patch };
}

/** Which switch lets a notification type through once an instance's settings are its own. */
export function switchOf(typeWebhook: unknown): keyof FakeSettings | undefined {
  switch (typeWebhook) {
    case "stateInstanceChanged":
      return "stateWebhook";
    case "incomingMessageReceived":
      return "incomingWebhook";
    case "outgoingMessageStatus":
      return "outgoingWebhook";
    case "outgoingMessageReceived":
      return "outgoingMessageWebhook";
    case "outgoingAPIMessageReceived":
      return "outgoingAPIMessageWebhook";
    default:
      return undefined;
  }
}
