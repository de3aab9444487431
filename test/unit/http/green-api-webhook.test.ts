import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInstances } from "../../../src/config/index.js";
import { isAuthorized, judgeNotification } from "../../../src/http/green-api-webhook.js";

describe("webhook authentication and bodies", () => {
  const secret = "s3cret-value-0123456789";
  it("accepts 'Bearer <secret>' and the bare secret, nothing else", () => {
    expect(isAuthorized(`Bearer ${secret}`, secret)).toBe(true);
    expect(isAuthorized(`bearer   ${secret}`, secret)).toBe(true);
    expect(isAuthorized(secret, secret)).toBe(true);
    for (const bad of [
      undefined,
      "",
      "Bearer",
      `Bearer ${secret}x`,
      secret.slice(1),
      `Basic ${secret}`,
    ]) {
      expect(isAuthorized(bad, secret)).toBe(false);
    }
  });

  it("never throws on hostile bodies", () => {
    const instances = parseInstances(
      [{ name: "shop", idInstance: 1101000001, apiTokenInstance: "0123456789abcdef" }],
      "test",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          // Whatever comes, nothing throws and the verdict is one the server answers 200 to.
          const verdict = judgeNotification(Buffer.from(text), instances);
          expect(["state", "quota", "ignored"]).toContain(verdict.kind);
        },
      ),
    );
  });
});
