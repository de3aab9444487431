import { describe, expect, it } from "vitest";
import { Redactor, redactBotTokens, redactGreenApiUrl } from "../../../src/shared/redact.js";

describe("redaction", () => {
  it("masks every known secret, longest first", () => {
    const redactor = new Redactor(["abcdef1234567890", "abcdef1234567890789"]);
    const out = redactor.redact("x abcdef1234567890789 y abcdef1234567890 z");
    expect(out).not.toContain("abcdef1234567890");
    expect(out).not.toContain("789");
    // 16 characters and more keep a prefix to tell tokens apart; shorter ones are masked whole.
    expect(out).toBe("x abcd…[redacted] y abcd…[redacted] z");
    expect(new Redactor(["abcdef123456"]).redact("x abcdef123456 z")).toBe("x [redacted] z");
  });

  it("masks the token segment of any GREEN-API URL", () => {
    const url = "https://7103.api.greenapi.com/waInstance1101000001/qr/d75b3a66374942c5b3c0?x=1";
    expect(redactGreenApiUrl(`GET ${url} failed`)).toBe(
      "GET https://7103.api.greenapi.com/waInstance1101000001/qr/[redacted]?x=1 failed",
    );
  });

  it("masks bot tokens in Bot API URLs", () => {
    expect(
      redactBotTokens("https://api.telegram.org/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc/getMe"),
    ).toBe("https://api.telegram.org/bot123456:[redacted]/getMe");
  });
});
