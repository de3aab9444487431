import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/config/index.js";

/**
 * Issue #22, hole 5: the partner token and every instance token travel in GREEN-API's URL paths,
 * so those URLs must be https like the Bot API's; Telegram itself calls WEBHOOK_URL only over
 * https on port 443, 80, 88 or 8443. Each is one start-up line naming the variable.
 */
const base = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc", OPERATOR_IDS: "111" };
const webhook = { ...base, BOT_MODE: "webhook", HTTP_PORT: "8080", WEBHOOK_SECRET: "x".repeat(24) };

function startError(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return "started";
}

describe("https for every URL a secret travels to (hole 5)", () => {
  it.each([
    ["GREEN_API_PARTNER_URL", { ...base, GREEN_API_PARTNER_URL: "http://api.green-api.com" }],
    ["GREEN_API_URL", { ...base, GREEN_API_URL: "http://api.greenapi.com" }],
    ["WEBHOOK_URL", { ...webhook, WEBHOOK_URL: "http://greenlight.example.com" }],
    // The link page's links carry a key to the instance for as long as they live.
    ["PUBLIC_URL", { ...base, PUBLIC_URL: "http://links.example.com" }],
  ])("refuses a plain-http %s at start, naming it", (name, env) => {
    const message = startError(env);
    expect(message).toMatch(new RegExp(`^${name}: must be https`));
    expect(message.split("\n")).toHaveLength(1);
  });

  it("refuses a WEBHOOK_URL on a port Telegram does not call, in BOT_MODE=webhook", () => {
    expect(startError({ ...webhook, WEBHOOK_URL: "https://greenlight.example.com:9443" })).toMatch(
      /^WEBHOOK_URL: Telegram sends webhooks only to port 443, 80, 88 or 8443 \(not 9443\)/,
    );
  });

  it.each(["https://g.example.com", "https://g.example.com:8443/", "https://g.example.com:88"])(
    "accepts %s as Telegram's webhook",
    (url) => {
      expect(parseEnv({ ...webhook, WEBHOOK_URL: url }).WEBHOOK_URL).toBe(url.replace(/\/$/, ""));
    },
  );

  it("keeps plain http for all of them with ALLOW_INSECURE_HTTP=1 (fakes, a local Bot API server)", () => {
    const env = parseEnv({
      ...webhook,
      ALLOW_INSECURE_HTTP: "1",
      GREEN_API_PARTNER_URL: "http://127.0.0.1:9000",
      GREEN_API_URL: "http://127.0.0.1:9000",
      WEBHOOK_URL: "http://127.0.0.1:8080",
    });
    expect(env.GREEN_API_URL).toBe("http://127.0.0.1:9000");
    expect(env.WEBHOOK_URL).toBe("http://127.0.0.1:8080");
  });
});

describe("the link page's settings (issue #24)", () => {
  it.each([
    [{ LINK_TTL_MS: "86400001" }, /^LINK_TTL_MS: /],
    [{ LINK_MAX_PER_INSTANCE: "0" }, /^LINK_MAX_PER_INSTANCE: /],
    [
      { TRUSTED_PROXIES: "10.0.0.1, proxy.local" },
      /^TRUSTED_PROXIES: must be comma-separated IP addresses/,
    ],
    [{ AUDIT_IPS: "yes" }, /^AUDIT_IPS: /],
  ])("refuses %j in one line naming the variable", (extra, message) => {
    const said = startError({ ...base, ...extra });
    expect(said).toMatch(message);
    expect(said.split("\n")).toHaveLength(1);
  });

  it("keeps today's behaviour by default, and reads good values", () => {
    const defaults = parseEnv(base);
    expect([defaults.PUBLIC_URL, defaults.LINK_TTL_MS, defaults.LINK_MAX_PER_INSTANCE]).toEqual([
      undefined,
      1_800_000,
      3,
    ]);
    expect([defaults.TRUSTED_PROXIES, defaults.AUDIT_IPS]).toEqual([undefined, "0"]);
    const set = parseEnv({
      ...base,
      PUBLIC_URL: "https://links.example.com/",
      TRUSTED_PROXIES: "10.0.0.1, ::1",
    });
    expect(set.PUBLIC_URL).toBe("https://links.example.com");
    expect(set.TRUSTED_PROXIES).toEqual(["10.0.0.1", "::1"]);
  });
});
