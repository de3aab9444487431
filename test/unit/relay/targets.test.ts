import { describe, expect, it } from "vitest";
import { InstanceRegistry } from "../../../src/config/instances.js";
import { RelayTargets } from "../../../src/relay/targets.js";
import { isForwardableUrl } from "../../../src/shared/forward-url.js";

const instances = new InstanceRegistry([
  {
    name: "shop",
    idInstance: "1101000001",
    apiTokenInstance: "t".repeat(50),
    apiUrl: "http://127.0.0.1:1",
  },
]);

describe("the relay never forwards into greenlight's own network from a URL GREEN-API held", () => {
  const targetOf = (url: string) =>
    new RelayTargets({
      instances,
      storedTarget: async () => ({ url, token: "app-token" }),
      fallback: { url: "https://operator.example/hook" },
    }).of("1101000001");

  it.each([
    "http://127.0.0.1:6379/",
    "http://localhost:9464/metrics",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hook",
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://0x7f.1/",
    "http://2130706433/",
    "http://redis:6379/",
    "file:///etc/passwd",
  ])("a stored target %s is not relayed to, nor sent to the fallback", async (url) => {
    expect(await targetOf(url)).toBeUndefined();
  });

  it("a private host FORWARD_PRIVATE_HOSTS names is relayed to; another private one is not", async () => {
    const targets = new RelayTargets({
      instances,
      storedTarget: async () => ({ url: "http://10.0.0.7:8080/hook" }),
      privateHosts: ["10.0.0.7"],
    });
    expect(await targets.of("1101000001")).toEqual({ url: "http://10.0.0.7:8080/hook" });
    expect(isForwardableUrl("http://10.0.0.8/hook", ["10.0.0.7"])).toBe(false);
    expect(isForwardableUrl("http://CRM.lan/hook", ["crm.lan"])).toBe(true);
  });

  it("a stored public target is relayed to, with its token, to public addresses only", async () => {
    expect(await targetOf("https://app.example.com/green")).toEqual({
      url: "https://app.example.com/green",
      token: "app-token",
      publicOnly: true,
    });
  });
});

describe("isForwardableUrl", () => {
  it.each([
    ["https://app.example.com/hook", true],
    ["http://203.0.113.9:8080/hook", true],
    ["https://[2001:db8::1]/hook", true],
    ["http://192.168.1.10/", false],
    ["http://172.16.0.1/", false],
    ["http://100.64.0.1/", false],
    ["http://0.0.0.0/", false],
    ["http://[fd00::1]/", false],
    ["http://[fe80::1]/", false],
    ["http://[::127.0.0.1]/", false],
    ["http://[64:ff9b::a00:1]/", false],
    ["http://[0:0:0:0:0:ffff:192.168.0.1]/", false],
    ["http://metadata.google.internal/", false],
    ["http://printer.local/", false],
    ["http://user:pass@app.example.com/", false],
    ["gopher://app.example.com/", false],
    ["not a url", false],
  ] as const)("%s → %s", (url, expected) => {
    expect(isForwardableUrl(url)).toBe(expected);
  });
});
