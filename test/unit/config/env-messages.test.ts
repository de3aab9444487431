// Every variable of .env.example, given a malformed value, stops the start with one line that
// names it and says what is allowed: never zod's own words ("expected number, received NaN").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../src/config/env.js";
import { formatDuration, parseDuration } from "../../../src/config/env-values.js";
import { ConfigError } from "../../../src/config/errors.js";

const validEnv = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc", OPERATOR_IDS: "1001" };

/** A malformed value for each variable; a variable added to .env.example needs one here. */
const MALFORMED: Record<string, string> = {
  BOT_TOKEN: "not-a-token",
  OPERATOR_IDS: "alice",
  ADMIN_IDS: "1,x",
  VIEWER_IDS: "-5",
  SECRET_CHAT_IDS: "group",
  REDIS_URL: "localhost:6379",
  REDIS_SENTINELS: "sentinel-1",
  REDIS_SENTINEL_NAME: "my master",
  REDIS_SENTINEL_PASSWORD: "short",
  REDIS_PASSWORD: "short",
  REDIS_PREFIX: "a:b",
  TELEGRAM_API_ROOT: "api.telegram.org",
  ALLOW_INSECURE_HTTP: "yes",
  ALERT_CHAT_IDS: "@team",
  QR_POLL_INTERVAL_MS: "fast",
  QR_POLL_SCHEDULE: "sometimes",
  QR_TIMEOUT_MS: "10 minutes",
  STATE_POLL_INTERVAL_MS: "1 min",
  ALERT_LANGUAGE: "de",
  HTTP_PORT: "eighty",
  METRICS_TOKEN: "short",
  WEBHOOK_SECRET: "short",
  TELEGRAM_WEBHOOK_SECRET: "short",
  WEBHOOK_ACCEPT_SHARED_SECRET: "true",
  WEBHOOK_QUEUE_MAX: "many",
  WEBHOOK_CONCURRENCY: "0",
  BOT_MODE: "push",
  WEBHOOK_URL: "bot.example.com",
  GREEN_API_TIMEOUT_MS: "-1",
  STARTUP_TIMEOUT_MS: "1y",
  SESSION_LOCK_MS: "5x",
  GREEN_API_REQUESTS_PER_SECOND: "fifty",
  GREEN_API_PARTNER_TOKEN: "short",
  GREEN_API_PARTNER_URL: "console",
  GREEN_API_URL: "ftp://api.greenapi.com",
  PARTNER_SYNC_INTERVAL_MS: "often",
  PAIRING_CODE_TTL_MS: "2.5 min",
  DEFAULT_PHONE_COUNTRY: "Russia",
  PAIRING_CODE_COOLDOWN_MS: "30 sec",
  CONFIRM_TTL_MS: "1 minute",
  STARTING_TOO_LONG_MS: "5 min",
  AUTO_REBOOT_STARTING: "on",
  OFFLINE_WARN_AFTER_MS: "10 days",
  ESCALATE_AFTER_MS: "soon",
  ESCALATION_CHAT_IDS: "boss",
  WORKER_CONCURRENCY: "600.5",
  QR_SOURCE: "socket",
  QR_EDITS_PER_SECOND: "0",
  QR_MAX_SESSIONS: "unlimited",
  QR_MAX_SESSIONS_PER_GROUP: "3 per group",
  TELEGRAM_BOT_SENDS_PER_SECOND: "31",
  TELEGRAM_GROUP_SENDS_PER_MINUTE: "-1",
  TELEGRAM_PRIVATE_SENDS_PER_SECOND: "1/s",
  STUCK_AFTER_MS: "15 minutes",
  QUEUE_CHECK_INTERVAL_MS: "often",
  METRICS_INSTANCE_LABELS: "yes",
  WEBHOOK_FORWARD_URL: "crm.example.com",
  WEBHOOK_FORWARD_TOKEN: "my token",
  FORWARD_QUEUE_MAX: "lots",
  FORWARD_QUEUE_MAX_BYTES: "1000",
  FORWARD_ALERT_AFTER_MS: "10 minutes",
  FORWARD_MAX_AGE_MS: "a day",
  FORWARD_TIMEOUT_MS: "10",
  FORWARD_CONCURRENCY: "0",
  FORWARD_PRIVATE_HOSTS: "http://10.0.0.5/hook",
  HISTORY_DAYS: "3 months",
  HISTORY_MAX_INCIDENTS: "5",
  PUBLIC_URL: "greenlight.example.com",
  LINK_TTL_MS: "half an hour",
  LINK_MAX_PER_INSTANCE: "0",
  TRUSTED_PROXIES: "nginx",
  AUDIT_IPS: "yes",
  LOG_LEVEL: "verbose",
  LOG_FORMAT: "text",
  ROLE: "boss",
};

/** Any text is a valid value of these, so nothing is malformed at parse time. */
const FREE_TEXT: Record<string, string> = {
  INSTANCES_FILE: "a path: a missing file has its own message when it is read",
  HTTP_HOST: "a host name or address: a wrong one fails at listen with its own message",
};

const exampleNames = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8")
  .split("\n")
  .flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);

function messageFor(name: string, value: string): string {
  try {
    parseEnv({ ...validEnv, [name]: value });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`${name}=${value} was accepted`);
}

describe("a malformed value of any variable in .env.example", () => {
  it("has a malformed value in this table for every variable", () => {
    expect(exampleNames.length).toBeGreaterThan(40);
    const missing = exampleNames.filter((name) => !(name in MALFORMED) && !(name in FREE_TEXT));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(MALFORMED))("%s=%s: one clear line naming it", (name, value) => {
    const message = messageFor(name, value);
    expect(message).toMatch(new RegExp(`^${name}: \\S`));
    expect(message).not.toContain("\n");
    // zod's own words, which name neither the variable's form nor its range.
    expect(message).not.toMatch(/expected|received|NaN|Invalid|Too (small|big)/);
  });

  it("says how to write a Redis URL and a duration", () => {
    expect(messageFor("REDIS_URL", "localhost:6379")).toBe(
      "REDIS_URL: use redis://host:port (rediss:// for TLS), e.g. redis://127.0.0.1:6379",
    );
    expect(messageFor("STATE_POLL_INTERVAL_MS", "5 sec")).toBe(
      "STATE_POLL_INTERVAL_MS: use a duration like 500ms, 5s, 2m or 1h (a bare number is milliseconds), from 0 to 1h",
    );
    expect(messageFor("QR_POLL_INTERVAL_MS", "50")).toBe(
      "QR_POLL_INTERVAL_MS: must be from 100ms to 1m",
    );
  });
});

describe("durations", () => {
  it.each([
    ["STATE_POLL_INTERVAL_MS", "5s", 5_000],
    ["STATE_POLL_INTERVAL_MS", "2m", 120_000],
    ["QR_TIMEOUT_MS", "1h", 3_600_000],
    ["QR_POLL_INTERVAL_MS", "500ms", 500],
    ["QR_POLL_INTERVAL_MS", "1500", 1_500],
    ["PAIRING_CODE_TTL_MS", "2.5m", 150_000],
    ["ESCALATE_AFTER_MS", "1d", 86_400_000],
  ] as const)("%s=%s is %d ms", (name, value, ms) => {
    expect(parseEnv({ ...validEnv, [name]: value })[name]).toBe(ms);
  });

  it("reads OFFLINE_WARN_AFTER_MS as a list of durations, milliseconds as before", () => {
    expect(
      parseEnv({ ...validEnv, OFFLINE_WARN_AFTER_MS: "10d, 13d" }).OFFLINE_WARN_AFTER_MS,
    ).toEqual([864_000_000, 1_123_200_000]);
    expect(parseEnv(validEnv).OFFLINE_WARN_AFTER_MS).toEqual([864_000_000, 1_123_200_000]);
  });

  it.each([
    ["5s", 5_000],
    ["5 S", 5_000],
    ["0", 0],
    ["1.5h", 5_400_000],
    ["5x", undefined],
    ["-1s", undefined],
    ["", undefined],
  ] as const)("parseDuration(%s) = %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [0, "0"],
    [500, "500ms"],
    [1_500, "1.5s"],
    [60_000, "1m"],
    [600_000, "10m"],
    [86_400_000, "1d"],
  ] as const)("formatDuration(%d) = %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
