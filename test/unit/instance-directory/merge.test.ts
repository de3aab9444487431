import { describe, expect, it } from "vitest";
import type { KnownInstance } from "../../../src/config/index.js";
import { expiryStage } from "../../../src/instance-directory/expiry.js";
import { changes, handleOf, mergeInstances } from "../../../src/instance-directory/merge.js";
import type { AccountInstance } from "../../../src/green-api/partner.js";
import { ownHostOf, parseAccountDate } from "../../../src/green-api/partner.js";

const URL = "https://api.greenapi.com";
const entry = (
  id: string,
  name: string,
  extra: Partial<AccountInstance> = {},
): AccountInstance => ({
  idInstance: id,
  name,
  typeInstance: "whatsapp",
  apiTokenInstance: `token-${id}-0123456789`,
  deleted: false,
  expiresAt: undefined,
  isExpired: false,
  ...extra,
});
const fileShop: KnownInstance = {
  name: "shop",
  idInstance: "1101000001",
  apiTokenInstance: "file-token-0123456789",
  apiUrl: "https://7103.api.greenapi.com",
  operators: [1001],
};

describe("partner account merged with the instances file (pure)", () => {
  it.each([
    ["Shop #2 (Moscow)", "shop-2-moscow"],
    ["  Склад  ", ""],
    ["Café Crème", "cafe-creme"],
    ["a".repeat(40), "a".repeat(32)],
    ["under_score--and--dash", "under_score-and-dash"],
    ["", ""],
  ])("makes %j the handle %j", (name, handle) => {
    expect(handleOf(name)).toBe(handle);
  });

  it("the file wins for an instance it lists; the account adds the rest, named, else i<id>", () => {
    const merged = mergeInstances(
      [fileShop],
      [
        entry("1101000001", "Shop in the account"),
        entry("1101000002", "Shop 2"),
        entry("1101000003", "Склад"), // no latin letters: i<id>
        entry("1101000004", "shop"), // clashes with the file's name
        entry("1101000005", "Shop 2"), // clashes with another discovered one
        entry("1101000006", "gone", { deleted: true }),
        entry("1101000007", "tg", { typeInstance: "telegram" }),
      ],
      URL,
    );
    expect(merged.map((i) => [i.name, i.idInstance, i.source])).toEqual([
      ["shop", "1101000001", "file"],
      ["shop-2", "1101000002", "account"],
      ["i1101000003", "1101000003", "account"],
      ["i1101000004", "1101000004", "account"],
      ["i1101000005", "1101000005", "account"],
    ]);
    // The file's apiUrl, token and operators stay; a discovered one gets GREEN_API_URL.
    expect(merged[0]).toMatchObject({
      apiUrl: "https://7103.api.greenapi.com",
      apiTokenInstance: "file-token-0123456789",
      operators: [1001],
    });
    expect(merged[1]?.apiUrl).toBe(URL);
  });

  it("says what was added and removed, by name", () => {
    expect(changes([{ name: "a" }, { name: "b" }], [{ name: "b" }, { name: "c" }])).toEqual({
      added: ["c"],
      removed: ["a"],
    });
  });

  it("reads GREEN-API's dates without zone on its billing clock (UTC+3), with a zone as they say, and its zero date as none", () => {
    expect(parseAccountDate("2026-12-01T10:00:00")).toBe(Date.UTC(2026, 11, 1, 7));
    expect(parseAccountDate("2026-12-01T00:00:00")).toBe(Date.UTC(2026, 10, 30, 21));
    expect(parseAccountDate("2026-12-01T10:00:00Z")).toBe(Date.UTC(2026, 11, 1, 10));
    expect(parseAccountDate("2026-12-01T10:00:00+05:00")).toBe(Date.UTC(2026, 11, 1, 5));
    expect(parseAccountDate("0001-01-01T00:00:00")).toBeUndefined();
    expect(parseAccountDate("soon")).toBeUndefined();
  });
});

describe("expiry stages (pure)", () => {
  const DAY = 86_400_000;
  const now = Date.UTC(2026, 11, 1);
  it.each([
    [{ expiresAt: now + 10 * DAY }, undefined],
    [{ expiresAt: now + 3 * DAY }, "3d"],
    [{ expiresAt: now + 2 * DAY }, "3d"],
    [{ expiresAt: now + DAY }, "1d"],
    [{ expiresAt: now + 60_000 }, "1d"],
    [{ expiresAt: now }, "ended"],
    [{ expiresAt: now + 10 * DAY, isExpired: true }, "ended"],
    [{}, undefined],
  ])("%j → %s", (facts, stage) => {
    expect(expiryStage(now, facts)).toBe(stage);
  });
});

describe("an instance's own host from getInstances (undocumented field, read when present)", () => {
  it.each([
    ["https://7103.api.greenapi.com", false, "https://7103.api.greenapi.com"],
    ["https://1101.api.green-api.com/", false, "https://1101.api.green-api.com"],
    // The token goes to that host: only GREEN-API's own, over https, unless ALLOW_INSECURE_HTTP.
    ["https://evil.example.com", false, undefined],
    ["https://api.greenapi.com.evil.example", false, undefined],
    ["http://7103.api.greenapi.com", false, undefined],
    ["https://u:p@7103.api.greenapi.com", false, undefined],
    ["not a url", false, undefined],
    ["http://127.0.0.1:4000", true, "http://127.0.0.1:4000"],
    [null, false, undefined],
  ])("%s (insecure allowed: %s) → %s", (raw, insecure, host) => {
    expect(ownHostOf(raw, insecure)).toBe(host);
  });

  it("an account instance is called on its own host when it has one, else on GREEN_API_URL", () => {
    const entry = (id: string, apiUrl?: string) => ({
      idInstance: id,
      name: `n${id}`,
      typeInstance: "whatsapp",
      apiTokenInstance: "t".repeat(50),
      deleted: false,
      expiresAt: undefined,
      isExpired: false,
      ...(apiUrl ? { apiUrl } : {}),
    });
    const merged = mergeInstances(
      [],
      [entry("1101000001", "https://7103.api.greenapi.com"), entry("1101000002")],
      "https://api.greenapi.com",
    );
    expect(merged.map((instance) => instance.apiUrl)).toEqual([
      "https://7103.api.greenapi.com",
      "https://api.greenapi.com",
    ]);
  });
});
