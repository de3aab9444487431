import { describe, expect, it } from "vitest";
import { buttonPhone } from "../../../src/pairing/known-phones.js";

describe("the pairing helpers of alert buttons", () => {
  it("buttons mask the number shortly", () => {
    expect(buttonPhone("79001234567")).toBe("+7 900 ···67");
    expect(buttonPhone("4930123456")).toBe("+49 30 ···56");
  });
});
