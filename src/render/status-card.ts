import { SANS_32_BLACK, SANS_64_BLACK } from "jimp/fonts";
import { CARD_HEIGHT, CARD_WIDTH, TEXT_PADDING } from "./layout.js";
import { Lru } from "./lru.js";
import { encodePng } from "./png.js";
import { blitInk, type Raster, type Rgb, whiteRaster } from "./raster.js";
import { cachedFont, type Font, sanitizeFor, textBitmap, wrapText } from "./text.js";

export type CardTone = "ok" | "warn" | "error" | "info" | "wait";

export interface StatusCardInput {
  title: string;
  /** Up to 3 lines under the title; more are ignored. Latin only: keep other text for the caption. */
  lines?: readonly string[];
  tone: CardTone;
}

const TONE_COLOR: Record<CardTone, Rgb> = {
  ok: [46, 160, 67],
  warn: [240, 160, 32],
  error: [217, 48, 37],
  info: [26, 115, 232],
  wait: [140, 146, 154],
};

/** A stroke from (x1,y1) to (x2,y2) with round caps, or a dot when both ends coincide. */
type Stroke = readonly [x1: number, y1: number, x2: number, y2: number, width: number];

// White glyphs inside the coloured disc, relative to its centre (the fonts have no emoji).
const GLYPHS: Record<CardTone, readonly Stroke[]> = {
  ok: [
    [-52, 4, -16, 42, 26],
    [-16, 42, 56, -40, 26],
  ],
  error: [
    [-42, -42, 42, 42, 26],
    [-42, 42, 42, -42, 26],
  ],
  warn: [
    [0, -58, 0, 18, 26],
    [0, 56, 0, 56, 30],
  ],
  info: [
    [0, -56, 0, -56, 30],
    [0, -14, 0, 58, 26],
  ],
  wait: [
    [-52, 0, -52, 0, 34],
    [0, 0, 0, 0, 34],
    [52, 0, 52, 0, 34],
  ],
};

const DISC = { cx: CARD_WIDTH / 2, r: 120 };
/** Between the disc and the title. */
const TITLE_GAP = 30;
const LINE_GAP = 16;
const BOTTOM_MARGIN = 24;
const TEXT_WIDTH = CARD_WIDTH - 2 * TEXT_PADDING;
const TITLE_INK: Rgb = [17, 17, 17];
const LINE_INK: Rgb = [85, 85, 85];

function segmentDistance(px: number, py: number, [x1, y1, x2, y2]: Stroke): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  return Math.hypot(px - x1 - t * dx, py - y1 - t * dy);
}

/** The tone's disc and glyph, anti-aliased by distance (a one-pixel ramp at every edge). */
function drawSymbol(card: Raster, tone: CardTone, cy: number): void {
  const color = TONE_COLOR[tone];
  const { cx, r } = DISC;
  const { width, data } = card;
  for (let y = Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++) {
    for (let x = Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) {
      const px = x + 0.5 - cx;
      const py = y + 0.5 - cy;
      const disc = Math.max(0, Math.min(1, r + 0.5 - Math.hypot(px, py)));
      if (disc === 0) continue;
      let glyph = 0;
      for (const stroke of GLYPHS[tone]) {
        const cover = stroke[4] / 2 + 0.5 - segmentDistance(px, py, stroke);
        glyph = Math.max(glyph, Math.min(1, cover));
      }
      const p = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const fill = (color[ch] as number) + (255 - (color[ch] as number)) * glyph;
        data[p + ch] = Math.round(255 + (fill - 255) * disc);
      }
    }
  }
}

function drawLines(
  card: Raster,
  font: Font,
  lines: readonly string[],
  top: number,
  ink: Rgb,
): number {
  let y = top;
  for (const line of lines) {
    const bitmap = textBitmap(font, line);
    blitInk(card, bitmap, Math.floor((CARD_WIDTH - bitmap.width) / 2), y, ink);
    y += font.common.lineHeight;
  }
  return y;
}

async function render(input: StatusCardInput): Promise<Buffer> {
  const [big, small] = await Promise.all([cachedFont(SANS_64_BLACK), cachedFont(SANS_32_BLACK)]);
  const card = whiteRaster(CARD_WIDTH, CARD_HEIGHT, 3);

  // A short title gets the big font; a long one drops to the small font rather than breaking words.
  const bigTitle = wrapText(big, sanitizeFor(big, input.title), TEXT_WIDTH, 2);
  const fitsBig = bigTitle.length > 0 && bigTitle.join(" ") === sanitizeFor(big, input.title);
  const titleFont = fitsBig ? big : small;
  const title = fitsBig
    ? bigTitle
    : wrapText(small, sanitizeFor(small, input.title), TEXT_WIDTH, 3);

  // The lines wrapped first, so that the whole (disc, title, lines) can sit in the middle of the
  // card: a card with only a name no longer leaves its lower half empty.
  const titleHeight = title.length * titleFont.common.lineHeight;
  const topOfTitleAtZero = 2 * DISC.r + TITLE_GAP;
  let room = Math.floor(
    (CARD_HEIGHT - 2 * BOTTOM_MARGIN - topOfTitleAtZero - titleHeight - LINE_GAP) /
      small.common.lineHeight,
  );
  const lines: string[] = [];
  for (const text of (input.lines ?? []).slice(0, 3)) {
    if (room <= 0) break;
    const wrapped = wrapText(small, sanitizeFor(small, text), TEXT_WIDTH, room);
    lines.push(...wrapped);
    room -= wrapped.length;
  }
  const linesHeight = lines.length > 0 ? LINE_GAP + lines.length * small.common.lineHeight : 0;
  const contentHeight = topOfTitleAtZero + titleHeight + linesHeight;
  const top = Math.max(BOTTOM_MARGIN, Math.floor((CARD_HEIGHT - contentHeight) / 2));

  drawSymbol(card, input.tone, top + DISC.r);
  const y = drawLines(card, titleFont, title, top + topOfTitleAtZero, TITLE_INK);
  drawLines(card, small, lines, y + LINE_GAP, LINE_INK);
  return encodePng(card);
}

// Status cards repeat (the same "waiting" card for every session): render each once.
const cards = new Lru<string, Promise<Buffer>>(64);

/**
 * Renders a status card the same size as the QR card: a coloured symbol by tone, the title and up
 * to 3 word-wrapped lines, Latin text only. RGB PNG, CARD_WIDTH×CARD_HEIGHT.
 */
export function renderStatusCard(input: StatusCardInput): Promise<Buffer> {
  const key = JSON.stringify([input.tone, input.title, (input.lines ?? []).slice(0, 3)]);
  let card = cards.get(key);
  if (!card) {
    card = render(input);
    cards.set(key, card);
    card.catch(() => cards.delete(key));
  }
  return card;
}
