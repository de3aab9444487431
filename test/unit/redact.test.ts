import { describe, expect, it } from "vitest";
import { Redactor, redactBotTokens, redactGreenApiUrl } from "../../src/shared/redact.js";

describe("redaction", () => {
  it("masks every known secret, longest first", () => {
    const redactor = new Redactor(["abcdef123456", "abcdef123456789"]);
    const out = redactor.redact("x abcdef123456789 y abcdef123456 z");
    expect(out).not.toContain("abcdef123456");
    expect(out).toContain("abcd…[redacted]");
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
