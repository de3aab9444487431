import { describe, expect, it } from "vitest";
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  type CardTone,
  renderStatusCard,
} from "../../../src/render/index.js";
import { decodePng, scan } from "./helpers.js";

const tones: CardTone[] = ["ok", "warn", "error", "info", "wait"];

describe("renderStatusCard", () => {
  it.each(tones)(
    "renders the %s card at the QR card's size with nothing that scans as a QR",
    async (tone) => {
      const png = await renderStatusCard({
        title: "shop is authorized",
        lines: ["Phone +44 1234 567890", "You can close this message."],
        tone,
      });
      const img = await decodePng(png);
      expect([img.width, img.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
      expect(await scan(png)).toBeNull();
    },
  );

  it("gives each tone its own colour", async () => {
    const centres = await Promise.all(
      tones.map(async (tone) => {
        const img = await decodePng(await renderStatusCard({ title: "x", tone }));
        // A point inside the disc, clear of every glyph: 40 px below its top in this column.
        const x = CARD_WIDTH / 2 - 70;
        const top = inkRows(img, x)[0] ?? 0;
        const p = ((top + 40) * img.width + x) * 4;
        return Array.from(img.data.subarray(p, p + 3)).join(",");
      }),
    );
    expect(new Set(centres).size).toBe(tones.length);
  });

  it.each([
    ["a name only", { title: "shop", tone: "wait" as const }],
    ["a name and a number", { title: "shop", lines: ["+44 1234 567890"], tone: "ok" as const }],
  ])("puts %s in the middle: no empty lower half", async (_case, input) => {
    const img = await decodePng(await renderStatusCard(input));
    const rows = inkRows(img);
    const above = rows[0] ?? 0;
    const below = img.height - 1 - (rows.at(-1) ?? 0);
    // Font line heights leave a few pixels of air under the last line: within 40 px of equal.
    expect(Math.abs(above - below)).toBeLessThan(40);
  });

  it("copes with long, non-Latin and excess text", async () => {
    const png = await renderStatusCard({
      title: `${"a-very-long-instance-name".repeat(8)} не авторизован ✅`,
      lines: ["שלום", "x".repeat(500), "word ".repeat(200), "a fourth line that is ignored"],
      tone: "error",
    });
    const img = await decodePng(png);
    expect([img.width, img.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    expect(await scan(png)).toBeNull();
  });

  it("returns the cached PNG for a repeated input", async () => {
    const input = { title: "shop is waiting", lines: ["one"], tone: "wait" as const };
    const first = await renderStatusCard(input);
    expect(await renderStatusCard({ ...input, lines: [...input.lines] })).toBe(first);
    expect(await renderStatusCard({ ...input, tone: "info" })).not.toBe(first);
  });
});

/** The rows (top to bottom) with any non-white pixel, in column `x` or across the whole width. */
function inkRows(img: { width: number; height: number; data: Uint8Array }, x?: number): number[] {
  const rows: number[] = [];
  for (let y = 0; y < img.height; y++) {
    const from = x ?? 0;
    const to = x ?? img.width - 1;
    for (let col = from; col <= to; col++) {
      const p = (y * img.width + col) * 4;
      if (
        (img.data[p] ?? 255) < 240 ||
        (img.data[p + 1] ?? 255) < 240 ||
        (img.data[p + 2] ?? 255) < 240
      ) {
        rows.push(y);
        break;
      }
    }
  }
  return rows;
}
