import { describe, expect, it } from "vitest";
import { chooseLogFormat } from "../../../src/shared/logger.js";

describe("LOG_FORMAT: which log a process writes", () => {
  it.each([
    ["auto", true, "pretty"],
    ["auto", false, "json"],
    ["json", true, "json"],
    ["json", false, "json"],
    ["pretty", true, "pretty"],
    ["pretty", false, "pretty"],
  ] as const)("%s with stdout a terminal: %s → %s", (setting, tty, format) => {
    expect(chooseLogFormat(setting, tty)).toBe(format);
  });
});
