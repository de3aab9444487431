import { describe, expect, it } from "vitest";
import { timeOfId } from "../../../src/pairing/closures.js";
import { buttonPhone } from "../../../src/pairing/known-phones.js";

const DAY = 24 * 3_600_000;

describe("the pairing helpers of alert buttons and closure notes", () => {
  it("buttons mask the number shortly; queued ids are times only when they look like one", () => {
    expect(buttonPhone("79001234567")).toBe("+7 900 ···67");
    expect(buttonPhone("4930123456")).toBe("+49 30 ···56");
    const now = Date.UTC(2026, 0, 2);
    expect(timeOfId(String(now - 60_000), now)).toBe(now - 60_000);
    expect(timeOfId(String(now - 2 * DAY), now)).toBeUndefined();
    expect(timeOfId("BAE5849D7A78175C", now)).toBeUndefined();
    expect(timeOfId(undefined, now)).toBeUndefined();
  });
});
