import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.js";
import { ConfigError, parseInstances } from "../../../src/config/index.js";

/** The relay's settings: absent means no relay (today's behaviour); a bad value is one line. */
const base = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc", OPERATOR_IDS: "111" };
const shop = {
  name: "shop",
  idInstance: "1101000001",
  apiTokenInstance: "t".repeat(50),
};

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return "accepted";
}

describe("the relay's configuration", () => {
  it("has defaults that relay nothing", () => {
    const env = parseEnv(base);
    expect(env.WEBHOOK_FORWARD_URL).toBeUndefined();
    expect(env).toMatchObject({
      FORWARD_QUEUE_MAX: 100_000,
      FORWARD_QUEUE_MAX_BYTES: 256 * 1024 ** 2,
      FORWARD_ALERT_AFTER_MS: 600_000,
      FORWARD_MAX_AGE_MS: 86_400_000,
    });
    expect(
      parseInstances([shop], "instances.json").find("shop")?.webhookForwardUrl,
    ).toBeUndefined();
  });

  it.each([
    [{ WEBHOOK_FORWARD_URL: "http://crm.example/hook" }, /^WEBHOOK_FORWARD_URL: must be https/],
    [{ WEBHOOK_FORWARD_URL: "crm.example" }, /^WEBHOOK_FORWARD_URL: /],
    [{ FORWARD_QUEUE_MAX: "0" }, /^FORWARD_QUEUE_MAX: /],
    [{ FORWARD_QUEUE_MAX_BYTES: "1000" }, /^FORWARD_QUEUE_MAX_BYTES: .*1048576/],
  ])("refuses %o in one line naming the variable", (extra, pattern) => {
    const message = errorOf(() => parseEnv({ ...base, ...extra }));
    expect(message).toMatch(pattern);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("takes an instance's own http target only with ALLOW_INSECURE_HTTP=1, and names the field otherwise", () => {
    const file = [
      { ...shop, webhookForwardUrl: "http://127.0.0.1:9/hook", webhookForwardToken: "s3cret" },
    ];
    expect(errorOf(() => parseInstances(file, "instances.json"))).toBe(
      'instances.json: [0].webhookForwardUrl (instance "shop"): must be https (ALLOW_INSECURE_HTTP=1 allows http)',
    );
    const registry = parseInstances(file, "instances.json", { allowInsecureHttp: true });
    expect(registry.find("shop")).toMatchObject({
      webhookForwardUrl: "http://127.0.0.1:9/hook",
      webhookForwardToken: "s3cret",
    });
    expect(
      parseEnv({ ...base, ALLOW_INSECURE_HTTP: "1", WEBHOOK_FORWARD_URL: "http://x:1/h" })
        .WEBHOOK_FORWARD_URL,
    ).toBe("http://x:1/h");
  });
});
