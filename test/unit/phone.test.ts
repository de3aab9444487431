import { describe, expect, it } from "vitest";
import { groupPairingCode, maskPhone, normalizePhone } from "../../src/pairing/phone.js";

describe("phone numbers for pairing codes", () => {
  it.each([
    ["+7 900 123-45-67", "79001234567"],
    ["79001234567", "79001234567"],
    ["7 (900) 123 45 67", "79001234567"],
    ["+44 20 7946 0958", "442079460958"],
    ["+1.555.010.9999", "15550109999"],
  ])("normalizes %j to digits", (input, digits) => {
    expect(normalizePhone(input)).toBe(digits);
  });

  it.each([
    "",
    "12345",
    "+7 900 abc",
    "++79001234567",
    "0079001234567",
    "1234567890123456",
    "+7\n900",
  ])("rejects %j", (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });

  it("groups a code as WhatsApp shows it and masks numbers for shared chats", () => {
    expect(groupPairingCode("abcd1234")).toBe("ABCD-1234");
    expect(maskPhone("79001234567")).toBe("+7900…67");
  });
});
