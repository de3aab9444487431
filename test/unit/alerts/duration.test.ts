import { describe, expect, it } from "vitest";
import { MAX_MUTE_MS, parseDuration } from "../../../src/alerts/duration.js";

describe("mute durations", () => {
  it("reads m, h, d and combinations; refuses zero, junk and more than 7 days", () => {
    expect(parseDuration("30m")).toBe(30 * 60_000);
    expect(parseDuration("2h")).toBe(2 * 3_600_000);
    expect(parseDuration("1h30m")).toBe(90 * 60_000);
    expect(parseDuration("45")).toBe(45 * 60_000);
    expect(parseDuration("7d")).toBe(MAX_MUTE_MS);
    for (const bad of ["0m", "8d", "2x", "", "h", "-1h", "1.5h", "99999d"]) {
      expect(parseDuration(bad)).toBeUndefined();
    }
  });
});
