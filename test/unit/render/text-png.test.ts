import { SANS_32_BLACK } from "jimp/fonts";
import { describe, expect, it } from "vitest";
import { crc32, encodePng } from "../../../src/render/png.js";
import {
  cachedFont,
  fitLine,
  sanitizeFor,
  toPrintableAscii,
  wrapText,
} from "../../../src/render/text.js";
import { decodePng } from "./helpers.js";

describe("encodePng", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it.each([1, 3, 4] as const)("round-trips %i-channel images", async (channels) => {
    const width = 7;
    const height = 5;
    const data = new Uint8Array(width * height * channels);
    // Repeated rows and changing rows, to cover both row encodings.
    for (let i = 0; i < data.length; i++)
      data[i] = Math.floor(i / (width * channels)) === 2 ? 17 : (i * 37) % 256;
    for (let i = width * channels; i < 2 * width * channels; i++)
      data[i] = data[i - width * channels] as number;
    const img = await decodePng(encodePng({ width, height, channels, data }));
    expect([img.width, img.height]).toEqual([width, height]);
    for (let p = 0; p < width * height; p++) {
      const px = Array.from(img.data.subarray(p * 4, p * 4 + 4));
      const src = Array.from(data.subarray(p * channels, (p + 1) * channels));
      const want =
        channels === 1 ? [src[0], src[0], src[0], 255] : channels === 3 ? [...src, 255] : src;
      expect(px).toEqual(want);
    }
  });

  it("rejects a buffer of the wrong size", () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) })).toThrow(
      RangeError,
    );
  });
});

describe("text", () => {
  it("reduces text to printable ASCII", () => {
    expect(toPrintableAscii("café Ørsted")).toBe("cafe ?rsted");
    expect(toPrintableAscii("Магазин")).toBe("???????");
    expect(toPrintableAscii("\u202Eshop\u200B\u202C")).toBe("shop");
    expect(toPrintableAscii("🛒  a\n\tb ")).toBe("? a b");
    expect(toPrintableAscii("ｓｈｏｐ")).toBe("shop");
  });

  it("replaces characters the font lacks", async () => {
    const font = await cachedFont(SANS_32_BLACK);
    expect(sanitizeFor(font, "a`b")).toBe("a?b");
  });

  it("truncates with an ellipsis only when needed", async () => {
    const font = await cachedFont(SANS_32_BLACK);
    expect(fitLine(font, "shop", 300)).toBe("shop");
    const cut = fitLine(font, "x".repeat(100), 300);
    expect(cut.endsWith("...")).toBe(true);
    expect(cut.length).toBeLessThan(100);
  });

  it("wraps words and marks overflow", async () => {
    const font = await cachedFont(SANS_32_BLACK);
    expect(wrapText(font, "one two", 500, 3)).toEqual(["one two"]);
    const lines = wrapText(font, "word ".repeat(100).trim(), 300, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith("...")).toBe(true);
    expect(wrapText(font, "y".repeat(60), 300, 5).length).toBeGreaterThan(1);
  });
});

describe("text limits", () => {
  it("handles huge input quickly enough not to matter", async () => {
    const font = await cachedFont(SANS_32_BLACK);
    const huge = "x".repeat(200_000);
    expect(fitLine(font, sanitizeFor(font, huge), 300).endsWith("...")).toBe(true);
    const lines = wrapText(font, sanitizeFor(font, huge), 300, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]?.endsWith("...")).toBe(true);
  });
});
