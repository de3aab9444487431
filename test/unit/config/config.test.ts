import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema, inSetupMode, parseEnv } from "../../../src/config/env.js";
import { ConfigError, parseInstances } from "../../../src/config/index.js";
import { loadInstancesFile } from "../../../src/config/instances.js";

const validEnv = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc", OPERATOR_IDS: "111, 222" };
const token = "d75b3a66374942c5b3c019c698abc2067e151558acbd412345";

describe("environment", () => {
  it("applies the documented defaults", () => {
    const env = parseEnv(validEnv);
    expect(env).toMatchObject({
      OPERATOR_IDS: [111, 222],
      INSTANCES_FILE: "./instances.json",
      REDIS_URL: "redis://127.0.0.1:6379",
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      QR_POLL_INTERVAL_MS: 1000,
      QR_TIMEOUT_MS: 600000,
      STATE_POLL_INTERVAL_MS: 60000,
      LOG_LEVEL: "info",
      ROLE: "all",
      QR_MAX_SESSIONS_PER_GROUP: 3,
      TELEGRAM_BOT_SENDS_PER_SECOND: 28,
      TELEGRAM_GROUP_SENDS_PER_MINUTE: 19,
      TELEGRAM_PRIVATE_SENDS_PER_SECOND: 1,
    });
  });

  it.each([
    [{ ...validEnv, BOT_TOKEN: undefined }, /^BOT_TOKEN: is required/],
    [{ ...validEnv, OPERATOR_IDS: "alice" }, /^OPERATOR_IDS/],
    [{ ...validEnv, OPERATOR_IDS: "," }, /^OPERATOR_IDS: list at least one user id/],
    [{ ...validEnv, ROLE: "boss" }, /^ROLE/],
    [{ ...validEnv, QR_POLL_INTERVAL_MS: "fast" }, /^QR_POLL_INTERVAL_MS/],
    [{ ...validEnv, REDIS_URL: "http://x" }, /^REDIS_URL/],
    [{ ...validEnv, ADMIN_IDS: "1,x" }, /^ADMIN_IDS/],
    [{ ...validEnv, VIEWER_IDS: "-5" }, /^VIEWER_IDS: user ids are positive/],
    [
      { ...validEnv, TELEGRAM_API_ROOT: "http://127.0.0.1:8081" },
      /^TELEGRAM_API_ROOT: must be https/,
    ],
    [{ ...validEnv, METRICS_TOKEN: "short" }, /^METRICS_TOKEN/],
    [{ ...validEnv, DEFAULT_PHONE_COUNTRY: "XX" }, /^DEFAULT_PHONE_COUNTRY: must be an ISO 3166/],
    [{ ...validEnv, DEFAULT_PHONE_COUNTRY: "RUS" }, /^DEFAULT_PHONE_COUNTRY: must be an ISO 3166/],
    [{ ...validEnv, DEFAULT_PHONE_COUNTRY: "+7" }, /^DEFAULT_PHONE_COUNTRY/],
  ])("names the variable at fault (%#)", (env, message) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    expect(() => parseEnv(env)).toThrow(message);
  });

  it("starts in set-up mode with neither OPERATOR_IDS nor ADMIN_IDS (empty counts as unset)", () => {
    expect(inSetupMode(parseEnv({ BOT_TOKEN: validEnv.BOT_TOKEN }))).toBe(true);
    expect(inSetupMode(parseEnv({ ...validEnv, OPERATOR_IDS: " " }))).toBe(true);
    expect(inSetupMode(parseEnv({ ...validEnv, OPERATOR_IDS: "", VIEWER_IDS: "7" }))).toBe(true);
    expect(inSetupMode(parseEnv(validEnv))).toBe(false);
    expect(inSetupMode(parseEnv({ BOT_TOKEN: validEnv.BOT_TOKEN, ADMIN_IDS: "5" }))).toBe(false);
  });

  it("takes ADMIN_IDS alone as a team, and plain http only with ALLOW_INSECURE_HTTP=1", () => {
    expect(parseEnv({ BOT_TOKEN: validEnv.BOT_TOKEN, ADMIN_IDS: "5" }).ADMIN_IDS).toEqual([5]);
    const local = {
      ...validEnv,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      ALLOW_INSECURE_HTTP: "1",
    };
    expect(parseEnv(local).TELEGRAM_API_ROOT).toBe("http://127.0.0.1:8081");
  });

  it("listens on loopback unless HTTP_HOST says otherwise", () => {
    expect(parseEnv(validEnv).HTTP_HOST).toBe("127.0.0.1");
  });

  it("reads DEFAULT_PHONE_COUNTRY as a country code, in any case, and leaves it unset by default", () => {
    expect(parseEnv(validEnv).DEFAULT_PHONE_COUNTRY).toBeUndefined();
    expect(parseEnv({ ...validEnv, DEFAULT_PHONE_COUNTRY: "RU" }).DEFAULT_PHONE_COUNTRY).toBe("RU");
    expect(parseEnv({ ...validEnv, DEFAULT_PHONE_COUNTRY: " kz " }).DEFAULT_PHONE_COUNTRY).toBe(
      "KZ",
    );
    expect(
      parseEnv({ ...validEnv, DEFAULT_PHONE_COUNTRY: "" }).DEFAULT_PHONE_COUNTRY,
    ).toBeUndefined();
  });

  it("never echoes a malformed bot token", () => {
    const bad = "not-a-token-but-secret-looking-value";
    try {
      parseEnv({ ...validEnv, BOT_TOKEN: bad });
      expect.fail("should throw");
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });
});

describe("instances file", () => {
  it("normalizes names, ids and URLs", () => {
    const registry = parseInstances(
      [
        {
          name: "Shop",
          idInstance: 1101000001,
          apiTokenInstance: token,
          apiUrl: "https://7103.api.greenapi.com/",
        },
      ],
      "instances.json",
    );
    expect(registry.find("SHOP")).toEqual({
      name: "shop",
      idInstance: "1101000001",
      apiTokenInstance: token,
      apiUrl: "https://7103.api.greenapi.com",
    });
    expect(registry.find("shop ")?.apiUrl).toBe("https://7103.api.greenapi.com");
  });

  it("defaults apiUrl to the generic host", () => {
    const registry = parseInstances(
      [{ name: "a", idInstance: "1101000001", apiTokenInstance: token }],
      "f",
    );
    expect(registry.find("a")?.apiUrl).toBe("https://api.greenapi.com");
  });

  it.each([
    [[], /list at least one instance/],
    [[{ name: "a b", idInstance: 1101000001, apiTokenInstance: token }], /^f: \[0\]\.name/],
    [
      [{ name: "a", idInstance: "x1", apiTokenInstance: token }],
      /\[0\]\.idInstance \(instance "a"\)/,
    ],
    [[{ name: "a", idInstance: 1101000001 }], /\[0\]\.apiTokenInstance/],
    [
      [{ name: "a", idInstance: 1101000001, apiTokenInstance: token, apiUrl: "ftp://x" }],
      /\[0\]\.apiUrl/,
    ],
    [
      [
        { name: "a", idInstance: 1101000001, apiTokenInstance: token },
        { name: "A", idInstance: 1101000002, apiTokenInstance: token },
      ],
      /\[1\]\.name.*duplicate name "a"/,
    ],
    [[{ name: "a", idInstance: 1101000001, apiTokenInstance: token, tokn: 1 }], /\[0\]/],
  ])("rejects a malformed file naming the field (%#)", (json, message) => {
    expect(() => parseInstances(json, "f")).toThrow(message);
  });

  it("reads an instance's own admins, operators and viewers, and refuses an empty list", () => {
    const registry = parseInstances(
      [
        {
          name: "a",
          idInstance: 1101000001,
          apiTokenInstance: token,
          operators: [7],
          viewers: [9],
        },
      ],
      "f",
    );
    expect(registry.find("a")).toMatchObject({ operators: [7], viewers: [9] });
    for (const field of ["operators", "viewers", "admins"]) {
      expect(() =>
        parseInstances(
          [{ name: "a", idInstance: 1101000001, apiTokenInstance: token, [field]: [] }],
          "f",
        ),
      ).toThrow(new RegExp(`\\[0\\]\\.${field}`));
    }
  });

  it("refuses a plain-http apiUrl unless ALLOW_INSECURE_HTTP allows it", () => {
    const json = [
      { name: "a", idInstance: 1101000001, apiTokenInstance: token, apiUrl: "http://10.0.0.1" },
    ];
    expect(() => parseInstances(json, "f")).toThrow(
      'f: [0].apiUrl (instance "a"): must be https (ALLOW_INSECURE_HTTP=1 allows http)',
    );
    expect(parseInstances(json, "f", { allowInsecureHttp: true }).find("a")?.apiUrl).toBe(
      "http://10.0.0.1",
    );
  });

  it("names where a file is not JSON, never what it says there", () => {
    const dir = mkdtempSync(join(tmpdir(), "greenlight-test-"));
    try {
      const path = join(dir, "instances.json");
      for (const text of [
        `[{"name": "a", "apiTokenInstance": ${token}}]`,
        `[\n  {"name": "a",\n   "apiTokenInstance": "${token}"\n`,
        `[{"name" "a", "apiTokenInstance": "${token}"}]`,
      ]) {
        writeFileSync(path, text);
        let message = "";
        try {
          loadInstancesFile(path);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(/not valid JSON \((near line \d+, column \d+|check the brackets)/);
        expect(message).not.toContain(token.slice(0, 8));
        expect(message).not.toContain('"name"');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not put the token in the error", () => {
    expect(() =>
      parseInstances([{ name: "a", idInstance: "bad", apiTokenInstance: token }], "f"),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(token) }));
  });
});

describe("the configuration reference", () => {
  it("documents every variable greenlight reads, in the README's table and in .env.example", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8");
    for (const name of Object.keys(envSchema.shape)) {
      expect(readme, `README row for ${name}`).toContain(`| \`${name}\` |`);
      expect(example, `.env.example line for ${name}`).toMatch(new RegExp(`^${name}=`, "m"));
    }
  });

  it("instances.example.json lists no per-instance ids: after `cp` every instance is the team's", () => {
    const example = readFileSync(
      new URL("../../../instances.example.json", import.meta.url),
      "utf8",
    );
    const instances = parseInstances(JSON.parse(example), "instances.example.json");
    expect(instances.all().length).toBeGreaterThan(0);
    for (const instance of instances.all()) {
      expect([instance.admins, instance.operators, instance.viewers], instance.name).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    }
  });
});
