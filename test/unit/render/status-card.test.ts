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
        // A point inside the disc, clear of every glyph.
        const p = (150 * img.width + CARD_WIDTH / 2 - 70) * 4;
        return Array.from(img.data.subarray(p, p + 3)).join(",");
      }),
    );
    expect(new Set(centres).size).toBe(tones.length);
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
