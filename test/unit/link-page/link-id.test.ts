import { describe, expect, it } from "vitest";
import {
  hashLinkId,
  isWellFormedLinkId,
  LinkIdSeal,
  linkSealKey,
  newLinkId,
} from "../../../src/link-page/link-id.js";

describe("link ids: 128 random bits, stored hashed, shown again only through the seal", () => {
  it("is 22 base64url characters (16 bytes) and never repeats", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newLinkId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(isWellFormedLinkId(id)).toBe(true);
      expect(Buffer.from(id, "base64url")).toHaveLength(16);
    }
  });

  it.each([
    "",
    "short",
    "a".repeat(21),
    "a".repeat(23),
    `${"a".repeat(21)}/`,
    `${"a".repeat(21)}=`,
  ])("refuses %j before Redis is asked", (id) => expect(isWellFormedLinkId(id)).toBe(false));

  it("stores a hash that does not contain the id", () => {
    const id = newLinkId();
    expect(hashLinkId(id)).not.toContain(id);
    expect(hashLinkId(id)).toBe(hashLinkId(id));
  });

  it("opens a sealed id only with the same bot token's key", () => {
    const id = newLinkId();
    const sealed = new LinkIdSeal(linkSealKey("123:token")).seal(id);
    expect(sealed).not.toContain(id);
    expect(new LinkIdSeal(linkSealKey("123:token")).open(sealed)).toBe(id);
    expect(new LinkIdSeal(linkSealKey("456:other")).open(sealed)).toBeUndefined();
    expect(new LinkIdSeal(linkSealKey("123:token")).open("garbage")).toBeUndefined();
  });
});
