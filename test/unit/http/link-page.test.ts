import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientIp } from "../../../src/http/link-page/client-ip.js";
import { PAGE_JS } from "../../../src/http/link-page/page-assets.js";
import { gonePage, livePage } from "../../../src/http/link-page/page-html.js";
import { pageLanguage } from "../../../src/http/link-page/page-words.js";

describe("the link page's pieces", () => {
  it("ships a script that parses (it is a string in TypeScript: a lost backslash breaks it)", () => {
    expect(() => new Function(PAGE_JS)).not.toThrow();
  });

  it.each<[string | null, string | undefined, string]>([
    [null, "ru-RU,ru;q=0.9,en;q=0.8", "ru"],
    [null, "de-DE,de;q=0.9,en;q=0.5,ru;q=0.4", "en"],
    [null, "de-DE", "en"],
    [null, "en;q=0.2, ru;q=0.8", "ru"],
    [null, undefined, "en"],
    ["en", "ru", "en"],
    ["ru", "en", "ru"],
    ["fr", "ru", "ru"],
  ])("?lang=%s with Accept-Language %s → %s", (query, header, lang) => {
    expect(pageLanguage(query, header)).toBe(lang);
  });

  const request = (remote: string, forwarded?: string) =>
    ({
      socket: { remoteAddress: remote },
      headers: forwarded ? { "x-forwarded-for": forwarded } : {},
    }) as unknown as IncomingMessage;

  it.each<[string, string | undefined, string[], string]>([
    ["198.51.100.9", "1.2.3.4", [], "198.51.100.9"],
    ["10.0.0.1", "1.2.3.4", [], "10.0.0.1"],
    ["::ffff:10.0.0.1", "6.6.6.6, 1.2.3.4", ["10.0.0.1"], "1.2.3.4"],
    ["10.0.0.1", "1.2.3.4, 10.0.0.2", ["10.0.0.1", "10.0.0.2"], "1.2.3.4"],
    ["10.0.0.1", undefined, ["10.0.0.1"], "10.0.0.1"],
  ])("from %s with X-Forwarded-For %s behind %j → %s", (remote, forwarded, trusted, ip) => {
    expect(clientIp(request(remote, forwarded), trusted)).toBe(ip);
  });

  it("escapes the instance's name and names nothing on the dead page", () => {
    const html = livePage(
      { state: "live", instance: `<img src=x onerror="alert(1)">`, expiresAt: 0 },
      "en",
      { csrf: "t" },
    );
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(gonePage("en")).toContain("This link is no longer valid.");
    expect(gonePage("ru")).toContain("Эта ссылка больше не действует.");
  });
});
