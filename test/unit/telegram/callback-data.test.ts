import { describe, expect, it } from "vitest";
import {
  decodeQrCallback,
  encodeQrCallback,
  qrActions,
} from "../../../src/telegram/callback-data.js";

describe("QR button data", () => {
  it("round-trips every action within Telegram's 64 bytes", () => {
    const instance = "a".repeat(32);
    for (const action of qrActions) {
      const data = encodeQrCallback({ action, instance });
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeQrCallback(data)).toEqual({ action, instance });
    }
  });

  it.each([
    "",
    "qr",
    "qr:cancel",
    "qr:cancel:",
    "qr:explode:shop",
    "qr:cancel:SHOP!",
    "qr:cancel:shop:extra",
    "xx:cancel:shop",
    `qr:cancel:${"a".repeat(60)}`,
    "qr:cancel:shop\u0000",
  ])("rejects forged data %j", (data) => {
    expect(decodeQrCallback(data)).toBeUndefined();
  });
});
